import BulwarkServices
import Vapor

/// Registers every DefectDojo API v2 route under `/api/v2/`.
///
/// Everything except `api-token-auth/` sits behind ``APIAuthenticationMiddleware``. Vapor's
/// router ignores a trailing slash, so `/api/v2/users/` and `/api/v2/users` reach the same handler.
public enum APIv2 {
    /// Every generic resource, in one place: adding a resource is one definition file and one line here.
    public static func resources(hasher: any PasswordHashing, connectors: ConnectorRuntime? = nil) -> [ResourceDefinition] {
        [
            UsersResource.definition(hasher: hasher),
            ProductTypesResource.definition,
            ProductsResource.definition,
            EngagementsResource.definition,
            TestsResource.definition,
            TestTypesResource.definition,
            DevelopmentEnvironmentsResource.definition,
            NoteTypesResource.definition,
            NotesResource.definition,
            SLAConfigurationsResource.definition,
            FindingsResource.definition,
            EndpointsResource.definition,
            EndpointStatusResource.definition,
            RiskAcceptanceResource.definition,
            TestImportsResource.definition,
            SystemSettingsResource.definition,
            ConnectorsResource.definition(cipher: connectors?.cipher),
            ConnectorRecordsResource.definition,
            ConnectorOperationsResource.definition,
            JobsResource.definition,
            GroupsAndRolesResources.roles,
            GroupsAndRolesResources.groups,
            GroupsAndRolesResources.globalRoles,
            MembershipResources.groupMembers,
            MembershipResources.productTypeMembers,
            MembershipResources.productMembers,
            MembershipResources.productTypeGroups,
            MembershipResources.productGroups,
        ]
    }

    public static func register(on app: Application, hasher: any PasswordHashing, maxUploadBytes: Int = 100 * 1_048_576) {
        register(on: app, hasher: hasher, maxUploadBytes: maxUploadBytes, connectors: app.connectorRuntime)
    }

    /// Registers every route; `connectors` seals connector secrets (without it, writing a secret is a 500).
    public static func register(on app: Application, hasher: any PasswordHashing, maxUploadBytes: Int, connectors: ConnectorRuntime?) {
        let api = app.grouped("api", "v2")
        AuthTokenController().register(on: api)
        OpenAPIController().register(on: api)
        let authenticated = api.grouped(APIAuthenticationMiddleware())
        let definitions = resources(hasher: hasher, connectors: connectors)
        let catalog = ResourceCatalog(definitions)
        for definition in definitions {
            ResourceController(definition: definition, catalog: catalog).register(on: authenticated)
        }
        EngagementActions.register(on: authenticated)
        ConnectorActions.register(on: authenticated)
        FindingActionsController().register(on: authenticated)
        ImportScanController(maxUploadBytes: maxUploadBytes).register(on: authenticated)
        NoteActions.register(on: authenticated, resourcePath: "findings", objectType: "finding", idKey: "finding_id",
                             definition: FindingsResource.definition,
                             canAdd: { context, id in try await ProductPath.findings.role(of: context.user, id: id, db: context.db)?.canWrite ?? false })
        NoteActions.register(on: authenticated, resourcePath: "risk_acceptance", objectType: "risk_acceptance", idKey: "risk_acceptance_id",
                             definition: RiskAcceptanceResource.definition)
        UserProfileController().register(on: authenticated)
        APITokensController().register(on: authenticated)
        AuditLogController().register(on: authenticated)
        HealthController().register(on: app)
    }
}
