import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit
import Vapor

/// What a handler knows about the request it serves.
public struct ResourceContext: Sendable {
    public var user: UserAccount
    public var db: any SQLDatabase
    public var now: Date
}

/// The routes a resource offers.
public enum ResourceAction: Sendable, Hashable {
    case list, create, retrieve, update, destroy, deletePreview
}

/// Who may see and change rows of a resource (DefectDojo's object-level RBAC).
public struct ResourcePolicy: Sendable {
    /// Extra conditions restricting what `user` can see; empty means everything.
    public var visibility: @Sendable (UserAccount) -> [SQLQueryString]
    public var canCreate: @Sendable (ResourceContext, ValidatedInput) async throws -> Bool
    public var canUpdate: @Sendable (ResourceContext, Int) async throws -> Bool
    public var canDelete: @Sendable (ResourceContext, Int) async throws -> Bool
    /// May `user` use the resource at all (list/retrieve)? Configuration resources need a superuser.
    public var canRead: @Sendable (UserAccount) -> Bool

    public init(
        visibility: @escaping @Sendable (UserAccount) -> [SQLQueryString] = { _ in [] },
        canRead: @escaping @Sendable (UserAccount) -> Bool = { _ in true },
        canCreate: @escaping @Sendable (ResourceContext, ValidatedInput) async throws -> Bool,
        canUpdate: @escaping @Sendable (ResourceContext, Int) async throws -> Bool,
        canDelete: @escaping @Sendable (ResourceContext, Int) async throws -> Bool
    ) {
        self.visibility = visibility
        self.canRead = canRead
        self.canCreate = canCreate
        self.canUpdate = canUpdate
        self.canDelete = canDelete
    }

    /// Superusers only, for every action (users, configuration resources).
    public static let superuserOnly = ResourcePolicy(
        canRead: { $0.isSuperuser },
        canCreate: { context, _ in context.user.isSuperuser },
        canUpdate: { context, _ in context.user.isSuperuser },
        canDelete: { context, _ in context.user.isSuperuser })
}

/// Resource-specific steps around the generic writes.
public struct ResourceHooks: Sendable {
    /// Runs after field validation and before the permission check and write; may adjust the input or throw 400s.
    public var prepare: (@Sendable (ResourceContext, WriteMode, Int?, inout ValidatedInput) async throws -> Void)?
    /// Runs in the write's transaction after the row, its tags and lists are stored.
    public var afterWrite: (@Sendable (ResourceContext, WriteMode, Int, ValidatedInput) async throws -> Void)?
    /// Runs inside the delete's transaction, before the cascade; may refuse the delete by throwing.
    public var beforeDelete: (@Sendable (ResourceContext, Int) async throws -> Void)?

    public init(
        prepare: (@Sendable (ResourceContext, WriteMode, Int?, inout ValidatedInput) async throws -> Void)? = nil,
        afterWrite: (@Sendable (ResourceContext, WriteMode, Int, ValidatedInput) async throws -> Void)? = nil,
        beforeDelete: (@Sendable (ResourceContext, Int) async throws -> Void)? = nil
    ) {
        self.prepare = prepare
        self.afterWrite = afterWrite
        self.beforeDelete = beforeDelete
    }
}

/// A DefectDojo resource served by ``ResourceController``: schema (the DTO and filter
/// declaration), policy, hooks, actions and prefetchable fields.
public struct ResourceDefinition: Sendable {
    public var schema: ResourceSchema
    /// DefectDojo's OpenAPI component name of the object (`"Finding"`); request, patch and list
    /// components are named after it.
    public var componentName: String
    public var policy: ResourcePolicy
    public var hooks: ResourceHooks
    public var actions: Set<ResourceAction>
    /// Prefetchable field → path of the resource it refers to; nil when the endpoint has no `prefetch`.
    public var prefetch: [String: String]?
    /// When set, PATCH answers 405 with this `message` and is left out of the OpenAPI document
    /// (DefectDojo's membership endpoints, which need every field to authorize a change).
    public var patchRefusal: String?

    public init(schema: ResourceSchema, component: String, policy: ResourcePolicy, hooks: ResourceHooks = ResourceHooks(),
                actions: Set<ResourceAction> = [.list, .create, .retrieve, .update, .destroy, .deletePreview],
                prefetch: [String: String]? = nil, patchRefusal: String? = nil) {
        self.schema = schema
        self.patchRefusal = patchRefusal
        self.componentName = component
        self.policy = policy
        self.hooks = hooks
        self.actions = actions
        self.prefetch = prefetch
    }
}

/// All resources by path, for prefetching objects of another resource.
public struct ResourceCatalog: Sendable {
    public var definitions: [String: ResourceDefinition]
    public init(_ definitions: [ResourceDefinition]) {
        self.definitions = Dictionary(definitions.map { ($0.schema.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Component names by resource path.
    public var componentNames: [String: String] { definitions.mapValues(\.componentName) }
}
