/// Why a membership change was refused, with DefectDojo's wording.
public enum MembershipError: Error, Sendable, Equatable {
    /// The actor may not change this membership (403 with the message).
    case forbidden(String)
    /// The change breaks a rule (400 `non_field_errors`).
    case invalid(String)
    /// Removing the last owner (400 with the bare message, as DefectDojo answers a delete).
    case lastOwner

    public var message: String {
        switch self {
        case .forbidden(let message), .invalid(let message): return message
        case .lastOwner: return "There must be at least one owner"
        }
    }
}
