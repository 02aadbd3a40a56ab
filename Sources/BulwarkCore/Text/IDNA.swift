import Foundation

/// The small part of IDNA (the `idna` package with `uts46=True`) that DefectDojo's endpoint
/// handling touches: lower-casing and validating ASCII labels, and Punycode for non-ASCII ones.
enum IDNA {
    /// Why a host is not a valid IDNA name (DefectDojo then falls back to plain formatting).
    struct Failure: Error {
        let message: String
    }

    /// `idna.encode(host, uts46=True)`: the ASCII (A-label) form of a host name.
    static func encode(_ host: String) throws(Failure) -> String {
        let (labels, trailingDot) = labelsAndTrailingDot(mapped(host))
        guard !labels.isEmpty else { throw Failure(message: "Empty domain") }
        var result: [String] = []
        for label in labels {
            guard !label.isEmpty else { throw Failure(message: "Empty label") }
            let ascii: String
            if label.unicodeScalars.allSatisfy(\.isASCII) {
                try checkASCIILabel(label)
                ascii = label
            } else {
                ascii = "xn--" + (try Punycode.encode(label))
            }
            guard ascii.utf8.count <= 63 else { throw Failure(message: "Label too long") }
            result.append(ascii)
        }
        if trailingDot { result.append("") }
        let joined = result.joined(separator: ".")
        guard joined.utf8.count <= (trailingDot ? 254 : 253) else { throw Failure(message: "Domain too long") }
        return joined
    }

    /// The labels of a host name without the empty one a trailing dot leaves, and whether there was one.
    /// A name with no labels at all (or only "") gives no labels.
    static func labelsAndTrailingDot(_ host: String) -> (labels: [String], trailingDot: Bool) {
        var labels = splitLabels(host)
        guard !labels.isEmpty, labels != [""] else { return ([], false) }
        let trailingDot = labels.last == ""
        if trailingDot { labels.removeLast() }
        return (labels, trailingDot)
    }

    /// `_decode_host` of `hyperlink`: ASCII hosts are lower-cased and A-labels decoded when the
    /// name is valid IDNA; anything else is returned unchanged.
    static func decodeHost(_ host: String) -> String {
        guard !host.isEmpty else { return "" }
        guard host.unicodeScalars.allSatisfy(\.isASCII) else { return host }
        let (labels, trailingDot) = labelsAndTrailingDot(host.lowercased())
        guard !labels.isEmpty else { return host }
        var result: [String] = []
        for label in labels {
            guard !label.isEmpty else { return host }
            if label.hasPrefix("xn--") {
                guard let decoded = try? Punycode.decode(String(label.dropFirst(4))) else { return host }
                result.append(decoded)
            } else {
                guard (try? checkASCIILabel(label)) != nil else { return host }
                result.append(label)
            }
        }
        if trailingDot { result.append("") }
        return result.joined(separator: ".")
    }

    /// The UTS 46 mapping, approximated: lower-case and NFC (exact for ASCII hosts).
    private static func mapped(_ host: String) -> String {
        host.lowercased().precomposedStringWithCanonicalMapping
    }

    private static func splitLabels(_ host: String) -> [String] {
        // idna splits on the ASCII full stop and its ideographic / full-width variants.
        let dots: Set<Unicode.Scalar> = ["\u{2E}", "\u{3002}", "\u{FF0E}", "\u{FF61}"]
        var labels: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in host.unicodeScalars {
            if dots.contains(scalar) {
                labels.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        labels.append(String(current))
        return labels
    }

    /// `check_label` for an ASCII label: letters, digits and hyphens only, no hyphen at either
    /// end, no `--` in positions 3-4 (A-labels are validated by decoding them).
    private static func checkASCIILabel(_ label: String) throws(Failure) {
        let bytes = Array(label.lowercased().utf8)
        if bytes.count >= 4, bytes[0] == 0x78, bytes[1] == 0x6E, bytes[2] == 0x2D, bytes[3] == 0x2D {
            guard (try? Punycode.decode(String(decoding: bytes.dropFirst(4), as: UTF8.self))) != nil else {
                throw Failure(message: "Invalid A-label")
            }
            return
        }
        guard bytes.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == 0x2D }) else {
            throw Failure(message: "Codepoint not allowed")
        }
        if bytes.count >= 4, bytes[2] == 0x2D, bytes[3] == 0x2D {
            throw Failure(message: "Label has disallowed hyphens in 3rd and 4th position")
        }
        if bytes.first == 0x2D || bytes.last == 0x2D {
            throw Failure(message: "Label must not start or end with a hyphen")
        }
    }
}

/// RFC 3492 Punycode (the encoding under IDNA A-labels).
enum Punycode {
    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
    private static let initialBias = 72, initialN = 128

    static func encode(_ input: String) throws(IDNA.Failure) -> String {
        let scalars = input.unicodeScalars.map { Int($0.value) }
        var output = scalars.filter { $0 < 0x80 }.map { Character(Unicode.Scalar(UInt8($0))) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = initialN, delta = 0, bias = initialBias
        while handled < scalars.count {
            guard let next = scalars.filter({ $0 >= n }).min() else { break }
            delta += (next - n) * (handled + 1)
            n = next
            for value in scalars {
                if value < n { delta += 1 }
                if value == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta: delta, count: handled + 1, first: handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(output)
    }

    static func decode(_ input: String) throws(IDNA.Failure) -> String {
        let bytes = Array(input.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { throw IDNA.Failure(message: "Invalid punycode") }
        var output: [Int] = []
        var start = 0
        if let lastDash = bytes.lastIndex(of: 0x2D) {
            output = bytes[..<lastDash].map(Int.init)
            start = lastDash + 1
        }
        var n = initialN, i = 0, bias = initialBias
        var index = start
        while index < bytes.count {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard index < bytes.count, let value = digitValue(bytes[index]) else {
                    throw IDNA.Failure(message: "Invalid punycode")
                }
                index += 1
                i += value * w
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if value < t { break }
                w *= base - t
                k += base
                guard i < 0x10FFFF * 64 else { throw IDNA.Failure(message: "Invalid punycode") }
            }
            bias = adapt(delta: i - oldI, count: output.count + 1, first: oldI == 0)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard n <= 0x10FFFF else { throw IDNA.Failure(message: "Invalid punycode") }
            output.insert(n, at: i)
            i += 1
        }
        var result = String.UnicodeScalarView()
        for value in output {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { throw IDNA.Failure(message: "Invalid punycode") }
            result.append(scalar)
        }
        return String(result)
    }

    private static func adapt(delta: Int, count: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / count
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    private static func digit(_ value: Int) -> Character {
        value < 26 ? Character(Unicode.Scalar(UInt8(97 + value))) : Character(Unicode.Scalar(UInt8(22 + value)))
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte) - 22
        case 0x41...0x5A: Int(byte) - 0x41
        case 0x61...0x7A: Int(byte) - 0x61
        default: nil
        }
    }
}

/// Textual IP address checks (no system calls), matching `inet_pton` acceptance.
enum IPAddressSyntax {
    /// Dotted-quad IPv4, each part 0-255 without leading zeros beyond one digit.
    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.utf8.allSatisfy(\.isASCIIDigit),
                  let value = Int(part), value <= 255 else { return false }
            return !(part.count > 1 && part.first == "0")
        }
    }

    /// RFC 4291 textual IPv6, including `::` compression and a trailing IPv4 part.
    static func isIPv6(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        var groups = text.components(separatedBy: ":")
        var embeddedIPv4 = false
        if let last = groups.last, last.contains(".") {
            guard isIPv4(last) else { return false }
            groups.removeLast()
            groups.append(contentsOf: ["0", "0"])
            embeddedIPv4 = true
        }
        _ = embeddedIPv4
        let doubleColons = text.components(separatedBy: "::").count - 1
        guard doubleColons <= 1 else { return false }
        if doubleColons == 0 {
            return groups.count == 8 && groups.allSatisfy(isHexGroup)
        }
        // Drop the empty strings produced by "::" (at the start, end or middle).
        let nonEmpty = groups.filter { !$0.isEmpty }
        guard nonEmpty.allSatisfy(isHexGroup), nonEmpty.count <= 7 else { return false }
        // A single empty group may only come from the "::" itself.
        let emptyCount = groups.count - nonEmpty.count
        let allowedEmpty = (text.hasPrefix("::") ? 1 : 0) + (text.hasSuffix("::") ? 1 : 0) + 1
        return emptyCount <= allowedEmpty
    }

    private static func isHexGroup(_ group: String) -> Bool {
        (1...4).contains(group.utf8.count) && group.utf8.allSatisfy(\.isASCIIHexDigit)
    }
}
