import BulwarkServices
import BulwarkTesting
import Foundation
import Testing

@Suite("Job queue")
struct JobQueueTests {
    @Test("a due job is claimed once; a running job is claimed again only after its lease ran out")
    func leases() async throws {
        try await withTestServer { server in
            // Given
            let queue = JobQueue(database: server.app.db, lease: 60)
            let now = Date()
            let id = try await queue.enqueue(.riskAcceptanceExpiry, trigger: "manual", runAt: now, now: now)
            // When: two workers claim at the same moment
            async let first = queue.claim(worker: "a", now: now)
            async let second = queue.claim(worker: "b", now: now)
            let claims = try await [first, second].compactMap { $0 }
            // Then: one of them got it
            #expect(claims.map(\.id) == [id])
            #expect(try await queue.claim(worker: "c", now: now.addingTimeInterval(30)) == nil)
            let again = try await queue.claim(worker: "c", now: now.addingTimeInterval(61))
            #expect(again?.id == id && again?.attempts == 2)
            try await queue.finish(id, error: nil, now: now)
            #expect(try await queue.claim(worker: "d", now: now.addingTimeInterval(600)) == nil)
        }
    }

    @Test("the runner schedules the risk-acceptance expiry once per interval and shows failures in jobs/")
    func scheduling() async throws {
        try await withTestServer { server in
            // Given
            let runtime = try #require(server.app.connectorRuntime)
            let runner = JobRunner(queue: JobQueue(database: server.app.db), connectors: runtime.service(server.app.db), worker: "t")
            // When
            let firstPass = try await runner.runDue()
            let secondPass = try await runner.runDue()
            // Then
            #expect(firstPass == 1 && secondPass == 0)
            #expect(try await server.request(.GET, "/api/v2/jobs/").json["count"] == .int(0))
            let failed = try await JobQueue(database: server.app.db).enqueue(.connectorOperation, operation: nil, trigger: "manual",
                                                                            runAt: Date(), now: Date())
            try await JobQueue(database: server.app.db).finish(failed, error: "boom", now: Date())
            let jobs = try await server.request(.GET, "/api/v2/jobs/?status=failed").json
            #expect(jobs["count"] == .int(1) && jobs["results"]?.items.first?["last_error"] == .string("boom"))
        }
    }
}
