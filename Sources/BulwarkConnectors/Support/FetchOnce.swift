/// The outcome of one expensive fetch shared by every record of an operation: tools whose API
/// answers for all assets at once (a Tenable export, Security Hub's GetFindings) fetch on the
/// first record's request, route the findings by record, and hand each later record its share.
/// A connector lives for one operation, so the next sync fetches afresh. Failures are kept too:
/// every record of that sync fails with the same error instead of starting the fetch again.
public actor FetchOnce<Value: Sendable> {
    private var outcome: Result<Value, ConnectorError>?
    private var running: Task<Result<Value, ConnectorError>, Never>?

    public init() {}

    /// The value of the first call's `fetch`; concurrent and later callers wait for and share it.
    public func value(_ fetch: @escaping @Sendable () async throws(ConnectorError) -> Value) async throws(ConnectorError) -> Value {
        if let outcome { return try outcome.get() }
        let task: Task<Result<Value, ConnectorError>, Never>
        if let running {
            task = running
        } else {
            task = Task {
                do throws(ConnectorError) {
                    return .success(try await fetch())
                } catch {
                    return .failure(error)
                }
            }
            running = task
        }
        let result = await task.value
        outcome = result
        running = nil
        return try result.get()
    }
}
