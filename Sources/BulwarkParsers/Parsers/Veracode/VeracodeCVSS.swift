/// CVSS v3 vectors as the `cvss` package's `clean_vector` writes them: metrics in the
/// specification's order, optional metrics set to `X` left out.
enum VeracodeCVSS {
    private static let order = [
        "AV", "AC", "PR", "UI", "S", "C", "I", "A", "E", "RL", "RC", "CR", "IR", "AR",
        "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA",
    ]
    private static let base: Set<String> = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"]

    /// The cleaned vector, or `nil` when a base metric is missing.
    static func cleaned(_ vector: String) -> String? {
        let parts = vector.split(separator: "/").map(String.init)
        guard let prefix = parts.first, prefix.hasPrefix("CVSS:") else { return nil }
        var metrics: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: ":", maxSplits: 1).map(String.init)
            guard pair.count == 2, order.contains(pair[0]) else { return nil }
            metrics[pair[0]] = pair[1]
        }
        guard base.isSubset(of: Set(metrics.keys)) else { return nil }
        let kept = order.compactMap { key -> String? in
            guard let value = metrics[key], base.contains(key) || value != "X" else { return nil }
            return "\(key):\(value)"
        }
        return ([prefix] + kept).joined(separator: "/")
    }
}
