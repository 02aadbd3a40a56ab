import BulwarkHTTP
import BulwarkServices
import BulwarkStorage
import Vapor

/// Turns every error into DefectDojo's error shape on `/api/` paths, and a plain page elsewhere.
/// It replaces Vapor's `ErrorMiddleware` so routing 404s and body-size 413s are shaped too.
public struct APIErrorMiddleware: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let apiError = Self.map(error, request: request)
            if apiError.status.code >= 500 {
                request.logger.error("request failed", metadata: ["path": "\(request.url.path)", "error": "\(String(reflecting: error))"])
            }
            if request.url.path.hasPrefix("/api/") || request.headers.accept.contains(where: { $0.mediaType == .json }) {
                return apiError.response()
            }
            let text = apiError.body["detail"]?.stringValue ?? apiError.body["message"]?.stringValue ?? apiError.body.serializedString()
            return Response(status: apiError.status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .init(string: text + "\n"))
        }
    }

    /// Maps any error to DefectDojo's status and body.
    static func map(_ error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as HTTPLimitError:
            var mapped = error.field.map { APIError.field($0, error.message) } ?? .detail(error.status, error.message)
            mapped.status = error.status
            if error.closeConnection { mapped.headers.append(("Connection", "close")) }
            return mapped
        case let error as ValidationErrors: return .validation(error)
        case .field(let name, let message) as TokenRequestError: return .field(name, message)
        case let error as FilterError: return .filter(error)
        case let error as any AbortError:
            switch error.status {
            case .notFound: return .notFound
            case .payloadTooLarge: return .message(.payloadTooLarge, "Request body is too large.")
            case .unsupportedMediaType: return .unsupportedMediaType(request.headers.contentType?.serialize() ?? "")
            case .methodNotAllowed: return .methodNotAllowed(request.method, allowed: [])
            case .unauthorized, .forbidden: return .detail(.forbidden, error.reason)
            default:
                return error.status.code < 500 ? .detail(error.status, error.reason) : .internalError
            }
        case is DecodingError: return .malformedJSON
        case is ConnectionPoolTimeoutError, is WriteLockTimeout: return .overloaded
        default: return .internalError
        }
    }
}
