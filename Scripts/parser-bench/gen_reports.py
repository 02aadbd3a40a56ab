"""Writes large synthetic reports for Scripts/bench-parsers.sh into the folder given."""
import os, sys, zipfile

out = sys.argv[1]
target = int(sys.argv[2]) if len(sys.argv) > 2 else 50 * 1024 * 1024
os.makedirs(out, exist_ok=True)

# Veracode detailed XML: one category per 500 flaws.
with open(os.path.join(out, "veracode_large.xml"), "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<detailedreport xmlns="https://www.veracode.com/schema/reports/export/1.0" '
            'app_id="1" last_update_time="2024-01-01 00:00:00 UTC">\n<severity level="3">\n')
    n = 0
    while f.tell() < target:
        f.write('<category categoryname="Cat %d"><recommendations><para text="Fix it."/></recommendations><cwe cweid="79"><staticflaws>\n' % n)
        for _ in range(500):
            n += 1
            f.write('<flaw issueid="%d" severity="3" categoryname="Cross-Site Scripting" cweid="79" module="app.war" type="print" '
                    'cia_impact="ppn" description="User input reaches the page without encoding. Encode it. References: CWE (https://cwe.example/79)  OWASP (https://owasp.example)" '
                    'sourcefile="Page%d.jsp" sourcefilepath="/web/" line="%d" functionrelativelocation="3" functionprototype="void render()" '
                    'date_last_occurrence="2024-01-01 00:00:00 UTC" remediation_status="Open" mitigation_status="none"/>\n' % (n, n % 97, n % 500))
        f.write('</staticflaws></cwe></category>\n')
    f.write('</severity>\n</detailedreport>\n')

# Fortify FPR: audit.fvdl with vulnerabilities, then their snippets.
fvdl = os.path.join(out, "audit.fvdl")
with open(fvdl, "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<FVDL xmlns="xmlns://www.fortifysoftware.com/schema/fvdl" version="1.12">\n<Vulnerabilities>\n')
    n = 0
    while f.tell() < target * 0.8:
        n += 1
        f.write('<Vulnerability><ClassInfo><ClassID>C%d</ClassID><Kingdom>K</Kingdom><Type>Type %d</Type><AnalyzerName>dataflow</AnalyzerName>'
                '<DefaultSeverity>3.0</DefaultSeverity></ClassInfo><InstanceInfo><InstanceID>I%032d</InstanceID><InstanceSeverity>3.0</InstanceSeverity>'
                '<Confidence>5.0</Confidence></InstanceInfo><AnalysisInfo><Unified><Trace><Primary><Entry><Node>'
                '<SourceLocation path="src/F%d.java" line="%d" lineEnd="%d" colStart="1" colEnd="9" snippet="S%d"/></Node></Entry>'
                '</Primary></Trace></Unified></AnalysisInfo></Vulnerability>\n' % (n % 50, n % 50, n, n, n % 300, n % 300, n))
    f.write('</Vulnerabilities>\n')
    for c in range(50):
        f.write('<Description classID="C%d"><Abstract>Abstract %d</Abstract><Explanation>Explained.</Explanation>'
                '<Recommendations>Fix.</Recommendations></Description>\n' % (c, c))
    f.write('<Snippets>\n')
    for i in range(1, n + 1):
        f.write('<Snippet id="S%d"><File>src/F%d.java</File><StartLine>%d</StartLine><EndLine>%d</EndLine>'
                '<Text><![CDATA[int x = %d;\nrun(x);]]></Text></Snippet>\n' % (i, i, i % 300, i % 300 + 2, i))
    f.write('</Snippets>\n<EngineData><RuleInfo>\n')
    for c in range(50):
        f.write('<Rule id="C%d"><MetaInfo><Group name="Accuracy">4.0</Group><Group name="Impact">3.0</Group>'
                '<Group name="Probability">4.0</Group><Group name="altcategoryCWE">CWE ID %d</Group></MetaInfo></Rule>\n' % (c, c + 20))
    f.write('</RuleInfo></EngineData>\n</FVDL>\n')
with zipfile.ZipFile(os.path.join(out, "fortify_large.fpr"), "w", zipfile.ZIP_DEFLATED) as z:
    z.write(fvdl, "audit.fvdl")
os.remove(fvdl)
