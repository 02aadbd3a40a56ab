import Vapor

/// The stylesheet and the one small script of the pages, served by Bulwark itself (no CDN, no build step).
///
/// Colours are chosen for WCAG AA contrast (4.5:1 for text); the layout collapses to one column
/// below 48rem so it works at phone widths.
enum WebAssets {
    static func register(on app: Application) {
        app.get("static", "bulwark.css") { _ in asset(stylesheet, type: "text/css; charset=utf-8") }
        app.get("static", "bulwark.js") { _ in asset(script, type: "text/javascript; charset=utf-8") }
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: ["Content-Type": type, "Cache-Control": "max-age=3600"], body: .init(string: text))
    }

    static let stylesheet = """
        :root{--ink:#1b1f24;--muted:#4a5260;--line:#d0d5dc;--bg:#f5f6f8;--card:#fff;--accent:#0b5cad;--accent-ink:#fff;
        --crit:#8b0d16;--high:#b3261e;--med:#8a5300;--low:#1d5e9c;--info:#4a5260;--ok:#17623a;--err:#8b0d16}
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:var(--bg)}
        a{color:var(--accent)}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #f5b400;outline-offset:2px}
        .skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}.skip:focus{left:.5rem;z-index:10}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        header.site{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;background:#14233a;color:#fff;padding:.6rem 1rem}
        header.site a{color:#fff;text-decoration:none}.brand{font-weight:700;font-size:1.15rem}
        .menu{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
        .menu a{padding:.25rem 0;border-bottom:2px solid transparent}.menu a[aria-current=page]{border-bottom-color:#fff;font-weight:600}
        .user-menu{margin-left:auto;position:relative}.user-menu summary{cursor:pointer;padding:.25rem .5rem;border:1px solid #6b7d96;border-radius:4px}
        .user-menu ul{position:absolute;right:0;z-index:5;list-style:none;margin:.3rem 0 0;padding:.4rem 0;background:#fff;border:1px solid var(--line);border-radius:4px;min-width:12rem;box-shadow:0 2px 8px #0003}
        .user-menu ul a{display:block;color:var(--ink);padding:.35rem .9rem}.user-menu ul a:hover{background:var(--bg)}
        main{max-width:80rem;margin:0 auto;padding:1rem}
        footer{max-width:80rem;margin:2rem auto 1rem;padding:0 1rem;color:var(--muted);font-size:.875rem}
        h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.4rem 0 .6rem}
        .page-heading{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem}
        .actions{display:flex;flex-wrap:wrap;gap:.5rem}
        .button,button{display:inline-block;font:inherit;padding:.45rem .9rem;border-radius:4px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-ink);text-decoration:none;cursor:pointer}
        button.secondary,.button.secondary{background:#fff;color:var(--accent)}button.danger{background:var(--err);border-color:var(--err)}
        .card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:1rem;margin-bottom:1rem}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
        .tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(7rem,1fr));gap:.5rem;list-style:none;padding:0;margin:0}
        .tiles li{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.6rem;text-align:center}
        .tiles strong{display:block;font-size:1.6rem}
        .table-wrap{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:6px}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
        th{background:#eef1f5;font-weight:600}th a{color:var(--ink)}
        .sev{display:inline-block;min-width:4.5rem;padding:0 .4rem;border-radius:3px;color:#fff;font-size:.85rem;text-align:center}
        .sev-critical{background:var(--crit)}.sev-high{background:var(--high)}.sev-medium{background:var(--med)}.sev-low{background:var(--low)}.sev-info{background:var(--info)}
        .facts{display:grid;grid-template-columns:minmax(9rem,max-content) 1fr;gap:.3rem 1rem;margin:0}.facts dt{font-weight:600;color:var(--muted)}.facts dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
        .field{margin:0 0 .8rem}.field label{display:block;font-weight:600;margin-bottom:.2rem}
        .field input[type=text],.field input[type=password],.field input[type=email],.field input[type=date],.field input[type=number],.field input[type=file],.field select,.field textarea{width:100%;max-width:32rem;font:inherit;padding:.4rem;border:1px solid #7a8494;border-radius:4px;background:#fff}
        .field.check{display:flex;gap:.5rem;align-items:center}.field.check label{font-weight:400;margin:0}
        .has-error input,.has-error select,.has-error textarea{border-color:var(--err)}
        .field-error{color:var(--err);margin:.2rem 0 0;font-weight:600}.hint{color:var(--muted);margin:0 0 .2rem;font-size:.9rem}
        .flash{padding:.6rem .8rem;border-radius:4px;font-weight:600}.flash.success{background:#e3f4ea;color:var(--ok)}.flash.error{background:#fbe9ea;color:var(--err)}
        .filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:0 1rem;align-items:end}
        .filters .field select,.filters .field input{max-width:none}
        .inline-form{display:inline-flex;flex-wrap:wrap;gap:.4rem;align-items:flex-end;margin:0 .4rem .4rem 0}
        .bulk{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:.6rem 0}
        .pagination{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin:.8rem 0}
        .breadcrumbs{display:flex;flex-wrap:wrap;list-style:none;padding:0;margin:0 0 .4rem;gap:.3rem;font-size:.9rem}
        .breadcrumbs li+li::before{content:"/";margin-right:.3rem;color:var(--muted)}
        .empty{color:var(--muted)}.muted{color:var(--muted)}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}
        pre{white-space:pre-wrap;background:#f0f2f5;padding:.6rem;border-radius:4px}
        .chart{width:100%;height:auto;max-width:40rem}.chart .opened{fill:#b3261e}.chart .closed{fill:#17623a}.chart text{font-size:11px;fill:#1b1f24}.chart .axis{stroke:#4a5260}
        .legend{display:flex;gap:1rem;list-style:none;padding:0;margin:.3rem 0}.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
        .swatch.opened{background:#b3261e}.swatch.closed{background:#17623a}
        .tag{display:inline-block;background:#e6ebf2;border-radius:3px;padding:0 .4rem;margin:0 .2rem .2rem 0;font-size:.875rem}
        @media (max-width:48rem){main{padding:.6rem}.facts{grid-template-columns:1fr}.user-menu{margin-left:0}.hide-narrow{display:none}}
        """

    static let script = """
        // Bulwark pages: copy buttons and "select all" for bulk forms. Everything works without it.
        document.addEventListener("click", function (event) {
          var button = event.target.closest("[data-copy]");
          if (button) {
            var source = document.getElementById(button.getAttribute("data-copy"));
            if (source && navigator.clipboard) {
              navigator.clipboard.writeText(source.textContent.trim()).then(function () { button.textContent = "Copied"; });
            }
          }
        });
        document.addEventListener("change", function (event) {
          if (event.target.matches("[data-select-all]")) {
            var name = event.target.getAttribute("data-select-all");
            document.querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (box) { box.checked = event.target.checked; });
          }
        });
        """
}
