import Foundation
import Vapor

/// Where the Swagger UI page loads `swagger-ui.css` and `swagger-ui-bundle.js` from.
public enum SwaggerUIAssets: Sendable, Equatable {
    /// A base URL such as the public CDN (drf-spectacular's default).
    case remote(baseURL: String)
    /// A folder of swagger-ui-dist files served by Bulwark itself, for installs without Internet access.
    case localFolder(path: String)

    /// jsDelivr's copy of swagger-ui-dist 5.
    public static let defaultCDN = SwaggerUIAssets.remote(baseURL: "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5")

    /// The files the page needs from the folder.
    public static let requiredFiles = ["swagger-ui.css", "swagger-ui-bundle.js"]
}

/// `GET /api/v2/oa3/swagger-ui/` (login required; "Try it out" uses the session cookie and the
/// CSRF token), its assets when served locally, and `/api/v2/doc/` redirecting to it.
public struct SwaggerUIController: Sendable {
    public static let pagePath = "/api/v2/oa3/swagger-ui/"
    static let localAssetsPath = "/api/v2/oa3/swagger-ui/assets"

    public let assets: SwaggerUIAssets
    let sessionUser: @Sendable (Request) async throws -> Bool

    init(assets: SwaggerUIAssets, sessionUser: @escaping @Sendable (Request) async throws -> Bool) {
        self.assets = assets
        self.sessionUser = sessionUser
    }

    func register(on app: Application) {
        app.get("api", "v2", "oa3", "swagger-ui", use: page)
        app.get("api", "v2", "doc") { request in request.redirect(to: Self.pagePath) }
        if case .localFolder(let folder) = assets {
            app.get("api", "v2", "oa3", "swagger-ui", "assets", ":file") { request in try await Self.asset(request, folder: folder) }
        }
    }

    @Sendable func page(_ request: Request) async throws -> Response {
        guard try await sessionUser(request) else { return request.redirect(to: "/login?next=\(Self.pagePath)") }
        let base: String
        switch assets {
        case .remote(let url): base = url.hasSuffix("/") ? String(url.dropLast()) : url
        case .localFolder: base = Self.localAssetsPath
        }
        return Response(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: Self.html(assetsBase: base)))
    }

    /// One file of the local folder, streamed with its type, ETag and range support by Vapor's file
    /// I/O; only plain file names are accepted, so nothing outside the folder can be read.
    static func asset(_ request: Request, folder: String) async throws -> Response {
        guard let name = request.parameters.get("file"), !name.hasPrefix("."), !name.contains("/"), !name.contains("\\") else {
            throw Abort(.notFound)
        }
        let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { throw Abort(.notFound) }
        let response = try await request.fileio.asyncStreamFile(at: path)
        response.headers.replaceOrAdd(name: .cacheControl, value: "max-age=3600")
        return response
    }

    static func html(assetsBase: String) -> String {
        let base = HTML.escape(assetsBase)
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>API v2 Docs · Bulwark</title>
            <link rel="stylesheet" href="\(base)/swagger-ui.css"></head>
            <body><div id="swagger-ui"></div>
            <script src="\(base)/swagger-ui-bundle.js"></script>
            <script>
            function csrfToken() {
              const match = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
              return match ? decodeURIComponent(match[1]) : "";
            }
            window.ui = SwaggerUIBundle({
              url: "/api/v2/oa3/schema/?format=json",
              dom_id: "#swagger-ui",
              deepLinking: true,
              persistAuthorization: true,
              requestInterceptor: (request) => {
                if (!/^(GET|HEAD|OPTIONS)$/i.test(request.method || "GET")) { request.headers["X-CSRFToken"] = csrfToken(); }
                return request;
              },
            });
            </script></body></html>
            """
    }
}
