/// HTML character references as `html2text` resolves them.
///
/// `html2text` first maps a few names to ASCII look-alikes (`UNIFIABLE`: curly quotes to
/// straight ones, accented vowels to plain ones, `&mdash;` to `--`), then uses HTML5 names.
/// This table covers the common HTML5 names; an unknown name is kept as written.
enum HTMLEntities {
    /// html2text's `UNIFIABLE` map (applied before HTML5 names).
    static let unifiable: [String: String] = [
        "rsquo": "'", "lsquo": "'", "rdquo": "\"", "ldquo": "\"", "copy": "(C)", "mdash": "--",
        "rarr": "->", "larr": "<-", "middot": "*", "ndash": "-", "oelig": "oe", "aelig": "ae",
        "agrave": "a", "aacute": "a", "acirc": "a", "atilde": "a", "auml": "a", "aring": "a",
        "egrave": "e", "eacute": "e", "ecirc": "e", "euml": "e", "igrave": "i", "iacute": "i",
        "icirc": "i", "iuml": "i", "ograve": "o", "oacute": "o", "ocirc": "o", "otilde": "o",
        "ouml": "o", "ugrave": "u", "uacute": "u", "ucirc": "u", "uuml": "u", "lrm": "", "rlm": "",
    ]

    /// Code points of the `unifiable` names (for numeric references such as `&#233;`).
    static let unifiableCodePoints: [UInt32: String] = [
        0x2019: "'", 0x2018: "'", 0x201D: "\"", 0x201C: "\"", 0xA9: "(C)", 0x2014: "--",
        0x2192: "->", 0x2190: "<-", 0xB7: "*", 0x2013: "-", 0x153: "oe", 0xE6: "ae",
        0xE0: "a", 0xE1: "a", 0xE2: "a", 0xE3: "a", 0xE4: "a", 0xE5: "a",
        0xE8: "e", 0xE9: "e", 0xEA: "e", 0xEB: "e", 0xEC: "i", 0xED: "i", 0xEE: "i", 0xEF: "i",
        0xF2: "o", 0xF3: "o", 0xF4: "o", 0xF5: "o", 0xF6: "o",
        0xF9: "u", 0xFA: "u", 0xFB: "u", 0xFC: "u", 0x200E: "", 0x200F: "",
    ]

    /// Common HTML5 named references.
    static let named: [String: String] = [
        "amp": "&",
        "lt": "<",
        "gt": ">",
        "quot": "\u{22}",
        "apos": "'",
        "nbsp": "\u{A0}",
        "copy": "\u{A9}",
        "reg": "\u{AE}",
        "trade": "\u{2122}",
        "hellip": "\u{2026}",
        "bull": "\u{2022}",
        "laquo": "\u{AB}",
        "raquo": "\u{BB}",
        "deg": "\u{B0}",
        "plusmn": "\u{B1}",
        "times": "\u{D7}",
        "divide": "\u{F7}",
        "euro": "\u{20AC}",
        "pound": "\u{A3}",
        "yen": "\u{A5}",
        "cent": "\u{A2}",
        "sect": "\u{A7}",
        "para": "\u{B6}",
        "shy": "\u{AD}",
        "iexcl": "\u{A1}",
        "iquest": "\u{BF}",
        "middot": "\u{B7}",
        "ndash": "\u{2013}",
        "mdash": "\u{2014}",
        "lsquo": "\u{2018}",
        "rsquo": "\u{2019}",
        "sbquo": "\u{201A}",
        "ldquo": "\u{201C}",
        "rdquo": "\u{201D}",
        "bdquo": "\u{201E}",
        "dagger": "\u{2020}",
        "Dagger": "\u{2021}",
        "permil": "\u{2030}",
        "lsaquo": "\u{2039}",
        "rsaquo": "\u{203A}",
        "oline": "\u{203E}",
        "frasl": "\u{2044}",
        "larr": "\u{2190}",
        "uarr": "\u{2191}",
        "rarr": "\u{2192}",
        "darr": "\u{2193}",
        "harr": "\u{2194}",
        "lArr": "\u{21D0}",
        "rArr": "\u{21D2}",
        "hArr": "\u{21D4}",
        "le": "\u{2264}",
        "ge": "\u{2265}",
        "ne": "\u{2260}",
        "asymp": "\u{2248}",
        "equiv": "\u{2261}",
        "infin": "\u{221E}",
        "micro": "\u{B5}",
        "acute": "\u{B4}",
        "cedil": "\u{B8}",
        "uml": "\u{A8}",
        "ordf": "\u{AA}",
        "ordm": "\u{BA}",
        "sup1": "\u{B9}",
        "sup2": "\u{B2}",
        "sup3": "\u{B3}",
        "frac14": "\u{BC}",
        "frac12": "\u{BD}",
        "frac34": "\u{BE}",
        "not": "\u{AC}",
        "macr": "\u{AF}",
        "curren": "\u{A4}",
        "brvbar": "\u{A6}",
        "ensp": "\u{2002}",
        "emsp": "\u{2003}",
        "thinsp": "\u{2009}",
        "zwnj": "\u{200C}",
        "zwj": "\u{200D}",
        "lrm": "\u{200E}",
        "rlm": "\u{200F}",
        "alpha": "\u{3B1}",
        "beta": "\u{3B2}",
        "gamma": "\u{3B3}",
        "delta": "\u{3B4}",
        "lambda": "\u{3BB}",
        "mu": "\u{3BC}",
        "pi": "\u{3C0}",
        "sigma": "\u{3C3}",
        "omega": "\u{3C9}",
        "Alpha": "\u{391}",
        "Beta": "\u{392}",
        "Gamma": "\u{393}",
        "Delta": "\u{394}",
        "Omega": "\u{3A9}",
        "Sigma": "\u{3A3}",
        "szlig": "\u{DF}",
        "Agrave": "\u{C0}",
        "Aacute": "\u{C1}",
        "Acirc": "\u{C2}",
        "Atilde": "\u{C3}",
        "Auml": "\u{C4}",
        "Aring": "\u{C5}",
        "AElig": "\u{C6}",
        "Ccedil": "\u{C7}",
        "Egrave": "\u{C8}",
        "Eacute": "\u{C9}",
        "Ecirc": "\u{CA}",
        "Euml": "\u{CB}",
        "Igrave": "\u{CC}",
        "Iacute": "\u{CD}",
        "Icirc": "\u{CE}",
        "Iuml": "\u{CF}",
        "ETH": "\u{D0}",
        "Ntilde": "\u{D1}",
        "Ograve": "\u{D2}",
        "Oacute": "\u{D3}",
        "Ocirc": "\u{D4}",
        "Otilde": "\u{D5}",
        "Ouml": "\u{D6}",
        "Oslash": "\u{D8}",
        "Ugrave": "\u{D9}",
        "Uacute": "\u{DA}",
        "Ucirc": "\u{DB}",
        "Uuml": "\u{DC}",
        "Yacute": "\u{DD}",
        "THORN": "\u{DE}",
        "agrave": "\u{E0}",
        "aacute": "\u{E1}",
        "acirc": "\u{E2}",
        "atilde": "\u{E3}",
        "auml": "\u{E4}",
        "aring": "\u{E5}",
        "aelig": "\u{E6}",
        "ccedil": "\u{E7}",
        "egrave": "\u{E8}",
        "eacute": "\u{E9}",
        "ecirc": "\u{EA}",
        "euml": "\u{EB}",
        "igrave": "\u{EC}",
        "iacute": "\u{ED}",
        "icirc": "\u{EE}",
        "iuml": "\u{EF}",
        "eth": "\u{F0}",
        "ntilde": "\u{F1}",
        "ograve": "\u{F2}",
        "oacute": "\u{F3}",
        "ocirc": "\u{F4}",
        "otilde": "\u{F5}",
        "ouml": "\u{F6}",
        "oslash": "\u{F8}",
        "ugrave": "\u{F9}",
        "uacute": "\u{FA}",
        "ucirc": "\u{FB}",
        "uuml": "\u{FC}",
        "yacute": "\u{FD}",
        "thorn": "\u{FE}",
        "yuml": "\u{FF}",
        "OElig": "\u{152}",
        "oelig": "\u{153}",
        "Scaron": "\u{160}",
        "scaron": "\u{161}",
        "Yuml": "\u{178}",
        "fnof": "\u{192}",
        "circ": "\u{2C6}",
        "tilde": "\u{2DC}",
        "excl": "!",
        "num": "#",
        "dollar": "$",
        "percnt": "%",
        "lpar": "(",
        "rpar": ")",
        "ast": "*",
        "plus": "+",
        "comma": ",",
        "period": ".",
        "sol": "/",
        "colon": ":",
        "semi": ";",
        "equals": "=",
        "quest": "?",
        "commat": "@",
        "lsqb": "[",
        "lbrack": "[",
        "bsol": "\u{5C}",
        "rsqb": "]",
        "rbrack": "]",
        "Hat": "^",
        "lowbar": "_",
        "grave": "`",
        "lcub": "{",
        "lbrace": "{",
        "verbar": "|",
        "vert": "|",
        "rcub": "}",
        "rbrace": "}",
        "check": "\u{2713}",
        "cross": "\u{2717}",
        "star": "\u{2606}",
        "spades": "\u{2660}",
        "clubs": "\u{2663}",
        "hearts": "\u{2665}",
        "diams": "\u{2666}",
        "minus": "\u{2212}",
        "lowast": "\u{2217}",
        "radic": "\u{221A}",
        "prop": "\u{221D}",
        "ang": "\u{2220}",
        "and": "\u{2227}",
        "or": "\u{2228}",
        "cap": "\u{2229}",
        "cup": "\u{222A}",
        "int": "\u{222B}",
        "there4": "\u{2234}",
        "sim": "\u{223C}",
        "cong": "\u{2245}",
        "sub": "\u{2282}",
        "sup": "\u{2283}",
        "nsub": "\u{2284}",
        "sube": "\u{2286}",
        "supe": "\u{2287}",
        "oplus": "\u{2295}",
        "otimes": "\u{2297}",
        "perp": "\u{22A5}",
        "sdot": "\u{22C5}",
        "lceil": "\u{2308}",
        "rceil": "\u{2309}",
        "lfloor": "\u{230A}",
        "rfloor": "\u{230B}",
        "lang": "\u{27E8}",
        "rang": "\u{27E9}",
        "loz": "\u{25CA}",
        "forall": "\u{2200}",
        "part": "\u{2202}",
        "exist": "\u{2203}",
        "empty": "\u{2205}",
        "nabla": "\u{2207}",
        "isin": "\u{2208}",
        "notin": "\u{2209}",
        "ni": "\u{220B}",
        "prod": "\u{220F}",
        "sum": "\u{2211}",
        "image": "\u{2111}",
        "weierp": "\u{2118}",
        "real": "\u{211C}",
        "alefsym": "\u{2135}",
        "crarr": "\u{21B5}",
        "prime": "\u{2032}",
        "Prime": "\u{2033}",
    ]

    /// Windows-1252 replacements for C1 control references (HTML5 spec).
    static let controlReplacements: [UInt32: UInt32] = [
        0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020,
        0x87: 0x2021, 0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152,
        0x8E: 0x017D, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022,
        0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC, 0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A,
        0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
    ]

    /// `HTML2Text.entityref`: the text for `&name;`.
    static func html2textEntity(_ name: String, nbsp: String) -> String {
        if name == "nbsp" { return nbsp }
        if let text = unifiable[name] { return text }
        return named[name] ?? "&\(name);"
    }

    /// `HTML2Text.charref`: the text for `&#123;` or `&#x7B;` (given without `&#`).
    static func html2textCharacterReference(_ reference: String) -> String {
        var value = codePoint(reference)
        if let replacement = controlReplacements[value] { value = replacement }
        if let text = unifiableCodePoints[value] { return text }
        return Unicode.Scalar(value).map { String($0) } ?? "\u{FFFD}"
    }

    private static func codePoint(_ reference: String) -> UInt32 {
        let parsed: UInt32?
        if reference.hasPrefix("x") || reference.hasPrefix("X") {
            parsed = UInt32(reference.dropFirst(), radix: 16)
        } else {
            parsed = UInt32(reference)
        }
        guard let parsed, parsed > 0, parsed < 0x110000, !(0xD800..<0xE000).contains(parsed) else { return 0xFFFD }
        return parsed
    }

    /// Python's `html.unescape` for attribute values (common names and numeric references).
    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let after = rest[rest.index(after: ampersand)...]
            if after.hasPrefix("#") {
                let body = after.dropFirst()
                let isHex = body.hasPrefix("x") || body.hasPrefix("X")
                let digits = (isHex ? body.dropFirst() : body).prefix { isHex ? $0.isHexDigit : $0.isNumber }
                if !digits.isEmpty {
                    var value = UInt32(digits, radix: isHex ? 16 : 10) ?? 0xFFFD
                    if value == 0 || value >= 0x110000 || (0xD800..<0xE000).contains(value) { value = 0xFFFD }
                    if let replacement = controlReplacements[value] { value = replacement }
                    result += Unicode.Scalar(value).map { String($0) } ?? "\u{FFFD}"
                    var end = digits.endIndex
                    if end < after.endIndex, after[end] == ";" { end = after.index(after: end) }
                    rest = after[end...]
                    continue
                }
            } else {
                let name = after.prefix { $0.isLetter || $0.isNumber }
                if let value = named[String(name)] {
                    result += value
                    var end = name.endIndex
                    if end < after.endIndex, after[end] == ";" { end = after.index(after: end) }
                    rest = after[end...]
                    continue
                }
            }
            result += "&"
            rest = after
        }
        return result + rest
    }
}
