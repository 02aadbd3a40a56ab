import BulwarkStorage

/// Reads response bodies with key order kept, so tests can check DefectDojo's field order.
public enum OrderedJSON {
    public static func parse(_ text: String) -> JSONValue? { JSONValue.parseOrdered(text) }
}
