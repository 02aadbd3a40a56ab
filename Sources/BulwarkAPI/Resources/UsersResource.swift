import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit
import Vapor

/// `users/`: DefectDojo's Dojo_User serializer, superusers only.
public enum UsersResource {
    public static let usernameRule = "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."

    public static let schema = ResourceSchema(
        path: "users", table: "users", modelName: "Dojo_User", nameColumn: "username",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("username", .string(maxLength: 150), required: true, allowBlank: false, unique: "A user with that username already exists."),
            FieldSpec("first_name", .string(maxLength: 150), defaultValue: .string("")),
            FieldSpec("last_name", .string(maxLength: 150), defaultValue: .string("")),
            FieldSpec("email", .email, required: true, allowBlank: true),
            FieldSpec("date_joined", .dateTime, .readOnly),
            FieldSpec("last_login", .dateTime, .readOnly),
            FieldSpec("is_active", .boolean, defaultValue: .bool(true)),
            FieldSpec("is_superuser", .boolean, defaultValue: .bool(false)),
            FieldSpec("token_last_reset", .dateTime, .readOnly),
            FieldSpec("password_last_reset", .dateTime, .readOnly),
            FieldSpec("password", .string(maxLength: 128), .writeOnly),
            FieldSpec("configuration_permissions", .idList(
                joinTable: "user_configuration_permissions", ownerColumn: "user_id", targetColumn: "permission_id", targetTable: nil),
                nullable: true),
        ],
        filters: [
            FilterSpec("id", .exact, .integer),
            FilterSpec("username", .icontains),
            FilterSpec("first_name", .icontains),
            FilterSpec("last_name", .icontains),
            FilterSpec("email", .icontains),
            FilterSpec("is_active", .exact, .boolean),
            FilterSpec("is_superuser", .exact, .boolean),
            FilterSpec("last_login_after", column: "last_login", .atLeast, .dateTime),
            FilterSpec("last_login_before", column: "last_login", .atMost, .dateTime),
            FilterSpec("date_joined_after", column: "date_joined", .atLeast, .dateTime),
            FilterSpec("date_joined_before", column: "date_joined", .atMost, .dateTime),
        ],
        orderings: ResourceSchema.orderings(["username", "last_name", "first_name", "email", "is_active", "is_superuser", "date_joined", "last_login"]),
        cascades: [
            CascadeRule(table: "api_tokens", model: "Token", foreignKey: "user_id", nameColumn: "name"),
            CascadeRule(table: "product_type_members", model: "Product_Type_Member", foreignKey: "user_id", nameColumn: nil),
            CascadeRule(table: "product_members", model: "Product_Member", foreignKey: "user_id", nameColumn: nil),
            CascadeRule(table: "dojo_group_members", model: "Dojo_Group_Member", foreignKey: "user_id", nameColumn: nil),
            CascadeRule(table: "global_roles", model: "Global_Role", foreignKey: "user_id", nameColumn: nil),
        ])

    /// The users resource: superusers manage users; passwords are hashed and only set on create.
    public static func definition(hasher: any PasswordHashing) -> ResourceDefinition {
        ResourceDefinition(
            schema: schema, component: "User", policy: .superuserOnly,
            hooks: ResourceHooks(
                prepare: { context, mode, _, input in
                    var errors = ValidationErrors()
                    if case .string(let name)? = input.values["username"], !isValidUsername(name) { errors.add("username", usernameRule) }
                    if case .string(let password)? = input.values["password"] {
                        if mode != .create {
                            errors.add("password", "Update of password though API is not allowed")
                        } else {
                            for message in PasswordRules.problems(password) { errors.add("password", message) }
                        }
                        if errors.isEmpty { input.set("password", .string(try hasher.hash(password))) }
                    } else if mode == .create {
                        // Django's unusable password: the account can use a token, not a password, until one is set.
                        input.set("password", .string("!"))
                    }
                    guard errors.isEmpty else { throw APIError.validation(errors) }
                    if mode == .create {
                        input.set("date_joined", .date(context.now))
                        input.set("is_staff", .bool(false))
                    }
                    if case .bool(true)? = input.values["is_superuser"], !context.user.isSuperuser {
                        throw APIError.permissionDenied
                    }
                },
                beforeDelete: { context, id in
                    if id == context.user.id { throw APIError.message(.badRequest, "Users may not delete themselves") }
                }),
            prefetch: [:])
    }

    /// Django's username validator: letters, digits and `@.+-_`.
    public static func isValidUsername(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "@.+-_".unicodeScalars.contains($0) }
    }
}

