/// Every page address in one place, so links and routes cannot drift apart.
enum Links {
    static let dashboard = "/"
    static let products = "/product"
    static let productTypes = "/product/type"
    static let newProduct = "/product/add"
    static let newProductType = "/product/type/add"
    static let findings = "/finding"
    static let bulkFindings = "/finding/bulk"
    static let imports = "/imports"
    static let connectors = "/connectors"
    static let profile = "/profile"
    static let changePassword = "/change_password"
    static let apiKey = "/api/key-v2"
    static let apiDocs = "/api/v2/oa3/swagger-ui/"
    static let logout = "/logout"
    static let stylesheet = "/static/bulwark.css"
    static let script = "/static/bulwark.js"

    static func product(_ id: Int) -> String { "/product/\(id)" }
    static func editProduct(_ id: Int) -> String { "/product/\(id)/edit" }
    static func productType(_ id: Int) -> String { "/product/type/\(id)" }
    static func editProductType(_ id: Int) -> String { "/product/type/\(id)/edit" }
    static func newEngagement(product: Int) -> String { "/product/\(product)/new_engagement" }
    static func engagement(_ id: Int) -> String { "/engagement/\(id)" }
    static func editEngagement(_ id: Int) -> String { "/engagement/\(id)/edit" }
    static func importScan(engagement: Int) -> String { "/engagement/\(engagement)/import_scan_results" }
    static func test(_ id: Int) -> String { "/test/\(id)" }
    static func reimportScan(test: Int) -> String { "/test/\(test)/re_import_scan_results" }
    static func finding(_ id: Int) -> String { "/finding/\(id)" }
    static func findingAction(_ id: Int, _ action: String) -> String { "/finding/\(id)/\(action)" }
    static func findings(_ query: String) -> String { query.isEmpty ? findings : "\(findings)?\(query)" }
}
