import Vapor

/// Answers methods a path does not support: 405 with DefectDojo's body, or 200 with `Allow` for OPTIONS.
/// Registered inside the authenticated group, so a wrong method never skips authentication.
public enum MethodFallback {
    static let all: [HTTPMethod] = [.GET, .POST, .PUT, .PATCH, .DELETE, .OPTIONS]

    /// Registers handlers for every method in `all` that `allowed` lacks.
    public static func register(on routes: any RoutesBuilder, path: [PathComponent], allowed: [HTTPMethod]) {
        let allowHeader = allowed + [.OPTIONS]
        for method in all where !allowed.contains(method) {
            if method == .OPTIONS {
                routes.on(.OPTIONS, path) { _ -> Response in
                    var headers = HTTPHeaders()
                    headers.add(name: .allow, value: allowHeader.map(\.rawValue).joined(separator: ", "))
                    headers.contentType = .json
                    return Response(status: .ok, headers: headers, body: .init(string: "{}"))
                }.markedAsMethodFallback()
            } else {
                routes.on(method, path) { request -> Response in
                    throw APIError.methodNotAllowed(request.method, allowed: allowHeader)
                }.markedAsMethodFallback()
            }
        }
    }
}
