import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A tool API stand-in on 127.0.0.1:<random port> inside the test process: answers requests from
/// a route table (method, path, query subset), checks an auth header, and records every request.
public final class MockToolServer: Sendable {
    /// One canned answer.
    public struct Reply: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// Close the connection without answering (a dropped connection).
        public var drop: Bool

        public init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = [], drop: Bool = false) {
            self.status = status
            self.headers = headers
            self.body = body
            self.drop = drop
        }

        public static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
        }
    }

    /// Requests to `path` whose query holds every `query` pair (and whose body holds every `body`
    /// pair, see ``MockToolServer/flattenedBody(_:)``) get `replies` in turn (the last one repeats).
    public struct Route: Sendable {
        public var method: String
        public var path: String
        public var query: [String: String]
        public var body: [String: String] = [:]
        /// Answered without the auth header (a token endpoint).
        public var anonymous = false
        /// Texts the request body must contain (POST routes: a token, a GraphQL operation name).
        public var bodyContains: [String] = []
        public var replies: [Reply]
        /// Routes put in front by ``MockToolServer/prepend(_:)`` win over the table.
        var priority = 0

        public init(_ path: String, query: [String: String] = [:], _ replies: [Reply], method: String = "GET") {
            self.method = method
            self.path = path
            self.query = query
            self.replies = replies
        }

        /// A route that also matches on texts its request body contains.
        public init(_ path: String, method: String, bodyContains: [String], _ replies: [Reply]) {
            self.init(path, replies, method: method)
            self.bodyContains = bodyContains
        }
    }

    /// The listening socket has no port (the connector lab has no `TestSupportError`).
    struct StartFailure: Error {}

    /// A request as the server saw it.
    public struct Recorded: Sendable {
        public var method: String
        public var path: String
        public var query: [String: [String]]
        public var headers: [(String, String)]
        /// The request target as sent (path and query, percent-escapes kept).
        public var uri: String = ""
        public var body: [UInt8] = []

        public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    struct State {
        var routes: [Route]
        var served: [Int: Int] = [:]
        var recorded: [Recorded] = []
        var auth: (String, String)?
        var unauthorized: Reply
        /// Checks a request instead of `auth`: the rejection to send, or `nil` to go on (signature checks).
        var verifier: (@Sendable (Recorded) -> Reply?)?
    }

    private let state: NIOLockedValueBox<State>
    private let channel: any Channel
    /// `http://127.0.0.1:<port>`.
    public let baseURL: String

    private init(state: NIOLockedValueBox<State>, channel: any Channel) throws {
        self.state = state
        self.channel = channel
        guard let port = channel.localAddress?.port else { throw StartFailure() }
        baseURL = "http://127.0.0.1:\(port)"
    }

    /// Starts a server; requests without the `auth` header (name, exact value) get `unauthorized`.
    public static func start(routes: [Route], auth: (String, String)? = nil,
                             unauthorized: Reply = .json(#"{"errors":[{"msg":"Authentication is required"}]}"#, status: 401)) async throws -> MockToolServer {
        let state = NIOLockedValueBox(State(routes: routes, auth: auth, unauthorized: unauthorized))
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(MockHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return try MockToolServer(state: state, channel: channel)
    }

    /// Every request so far.
    public var requests: [Recorded] { state.withLockedValue { $0.recorded } }

    /// Replaces the route table (a second sync's files) and forgets what was served.
    public func setRoutes(_ routes: [Route]) { state.withLockedValue { $0.routes = routes; $0.served = [:] } }

    /// Puts routes in front of the table (error injection).
    public func prepend(_ routes: [Route]) {
        let urgent = routes.map { route -> Route in
            var copy = route
            copy.priority = 1
            return copy
        }
        state.withLockedValue { $0.routes = urgent + $0.routes; $0.served = [:] }
    }

    /// Starts a server that checks each request with `verifier` (the reply to reject it with, or `nil`).
    public static func start(routes: [Route], verifier: @escaping @Sendable (Recorded) -> Reply?) async throws -> MockToolServer {
        let server = try await start(routes: routes)
        server.state.withLockedValue { $0.verifier = verifier }
        return server
    }

    /// Changes the accepted auth header.
    public func setAuth(_ auth: (String, String)?) { state.withLockedValue { $0.auth = auth } }

    public func shutdown() async throws { try await channel.close() }

    static func reply(for head: HTTPRequestHead, body: [UInt8] = [], state: NIOLockedValueBox<State>) -> Reply {
        let components = URLComponents(string: head.uri)
        let path = components?.path ?? head.uri
        let bodyText = String(decoding: body, as: UTF8.self)
        var query: [String: [String]] = [:]
        for item in components?.queryItems ?? [] { query[item.name, default: []].append(item.value ?? "") }
        let headers = head.headers.map { ($0.name, $0.value) }
        return state.withLockedValue { state in
            let recorded = Recorded(method: head.method.rawValue, path: path, query: query, headers: headers,
                                    uri: head.uri, body: body)
            state.recorded.append(recorded)
            if let verifier = state.verifier, let rejection = verifier(recorded) { return rejection }
            let fields = body.isEmpty ? [:] : flattenedBody(body)
            // The most specific matching route (prepended ones first); ties go to the earlier one.
            var best: Int?
            for (index, route) in state.routes.enumerated()
            where route.method == head.method.rawValue && route.path == path && route.query.allSatisfy({ query[$0.key]?.contains($0.value) == true })
                && route.body.allSatisfy({ fields[$0.key] == $0.value }) && route.bodyContains.allSatisfy({ bodyText.contains($0) }) {
                if let current = best {
                    let chosen = state.routes[current]
                    if (route.priority, route.query.count + route.body.count + route.bodyContains.count)
                        <= (chosen.priority, chosen.query.count + chosen.body.count + chosen.bodyContains.count) { continue }
                }
                best = index
            }
            if let auth = state.auth, head.headers[auth.0].first != auth.1, !(best.map { state.routes[$0].anonymous } ?? false) {
                return state.unauthorized
            }
            guard let index = best else { return .json(#"{"error":"not found"}"#, status: 404) }
            let count = state.served[index, default: 0]
            state.served[index] = count + 1
            let replies = state.routes[index].replies
            return replies[min(count, replies.count - 1)]
        }
    }
}

/// Answers each complete request from the shared state.
private final class MockHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let state: NIOLockedValueBox<MockToolServer.State>
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(state: NIOLockedValueBox<MockToolServer.State>) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            if let bytes = buffer.readBytes(length: buffer.readableBytes) { body += bytes }
        case .end:
            guard let head else { return }
            let reply = MockToolServer.reply(for: head, body: body, state: state)
            if reply.drop { context.close(promise: nil); return }
            var headers = HTTPHeaders(reply.headers)
            headers.replaceOrAdd(name: "Content-Length", value: "\(reply.body.count)")
            let responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: reply.status), headers: headers)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: reply.body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            self.head = nil
        }
    }
}
