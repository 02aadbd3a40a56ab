import BulwarkServices
import BulwarkStorage
import Vapor

/// DefectDojo's API shapes for the refusals of the services (access, triage and note rules).
enum ServiceErrors {
    /// Runs `body`, turning ``AccessError``, ``TriageError``, ``MembershipError`` and ``NoteError`` into the API's errors.
    static func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AccessError {
            switch error {
            case .notFound: throw APIError.notFound
            case .forbidden: throw APIError.permissionDenied
            }
        } catch let error as TriageError {
            switch error {
            case .refused(let message): throw APIError.field("non_field_errors", message)
            case .notDuplicate: throw APIError.message(.badRequest, error.message)
            case .unknownTag: throw APIError.field("tags", error.message)
            case .riskAcceptanceDisabled: throw APIError.field("non_field_errors", error.message)
            }
        } catch let error as MembershipError {
            switch error {
            case .forbidden(let message): throw APIError.detail(.forbidden, message)
            case .invalid(let message): throw APIError.field("non_field_errors", message)
            case .lastOwner: throw APIError(status: .badRequest, body: .string(error.message))
            }
        } catch let error as NoteError {
            switch error {
            case .singleTypeTaken: throw APIError(status: .badRequest, body: .string(error.message))
            case .notOnObject: throw APIError.message(.badRequest, error.message)
            case .notAuthor: throw APIError.detail(.forbidden, error.message)
            }
        }
    }
}
