/// Minimal HTML helpers: escaping and the shared page frame.
public enum HTML {
    /// Escapes text for element content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A complete page with Bulwark's frame around `body` (already-escaped HTML).
    public static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · Bulwark</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#222}
        header{background:#1f2d3d;color:#fff;padding:.8rem 1.5rem;font-weight:600}
        main{max-width:28rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
        label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;box-sizing:border-box}
        button{margin-top:1.2rem;padding:.6rem 1.2rem;background:#1f6feb;color:#fff;border:0;border-radius:4px;cursor:pointer}
        .error{background:#fde8e8;color:#8a1c1c;padding:.6rem;border-radius:4px}code{word-break:break-all}
        </style></head>
        <body><header>Bulwark</header><main>\(body)</main></body></html>
        """
    }
}
