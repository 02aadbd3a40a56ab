"""Writes large synthetic Nessus, Burp and Acunetix XML reports (about N bytes each) for
Scripts/bench-xml-scanners.sh: usage gen_dast_reports.py FOLDER [BYTES]."""
import base64, os, sys

out = sys.argv[1]
target = int(sys.argv[2]) if len(sys.argv) > 2 else 50 * 1024 * 1024
os.makedirs(out, exist_ok=True)

# Tenable .nessus: 200 hosts' worth of report items per host block, repeated until the size is reached.
with open(os.path.join(out, "large.nessus"), "w") as f:
    f.write('<?xml version="1.0" ?>\n<NessusClientData_v2>\n<Report name="bench">\n')
    host = 0
    while f.tell() < target:
        host += 1
        ip = "10.%d.%d.%d" % (host // 65536 % 256, host // 256 % 256, host % 256)
        f.write('<ReportHost name="%s"><HostProperties><tag name="host-ip">%s</tag><tag name="host-fqdn">h%d.corp.example</tag></HostProperties>\n' % (ip, ip, host))
        for plugin in range(40):
            f.write('<ReportItem port="%d" svc_name="www" protocol="tcp" severity="%d" pluginID="%d" pluginName="Plugin %d weakness" pluginFamily="General">'
                    '<cvss3_base_score>7.5</cvss3_base_score><cvss3_vector>AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N</cvss3_vector>'
                    '<cve>CVE-2016-%04d</cve><cwe>CWE-327</cwe><description>The remote host has weakness %d, described at some length so the '
                    'report resembles a real one with paragraphs of text.</description><plugin_output>Detected on port %d with version 1.%d</plugin_output>'
                    '<see_also>https://example.test/p%d\nhttps://example.test/q%d</see_also><solution>Upgrade the service.</solution>'
                    '<synopsis>Plugin %d found a weakness.</synopsis><xref>CERT:%d</xref></ReportItem>\n'
                    % (443 + plugin % 3, plugin % 5, 40000 + plugin, plugin, plugin, plugin, 443 + plugin % 3, plugin, plugin, plugin, plugin, plugin))
        f.write('</ReportHost>\n')
    f.write('</Report>\n</NessusClientData_v2>\n')

# Burp XML issue export with base64 request/response pairs.
request = base64.b64encode(b"GET /search?q=test HTTP/1.1\r\nHost: shop.example.test\r\n\r\n").decode()
response = base64.b64encode(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + b"<p>result</p>" * 40).decode()
with open(os.path.join(out, "large_burp.xml"), "w") as f:
    f.write('<?xml version="1.0"?>\n<issues burpVersion="2024.1.1" exportTime="Mon Jan 08 10:00:00 UTC 2024">\n')
    n = 0
    while f.tell() < target:
        n += 1
        f.write('<issue><serialNumber>%d</serialNumber><type>%d</type><name>Issue type %d</name>'
                '<host ip="192.0.2.10">https://shop.example.test</host><path><![CDATA[/page/%d]]></path>'
                '<location><![CDATA[/page/%d [q parameter]]]></location><severity>%s</severity><confidence>Firm</confidence>'
                '<issueBackground><![CDATA[<p>Background of the issue with <b>markup</b> to convert.</p>]]></issueBackground>'
                '<remediationBackground><![CDATA[<p>Fix it properly.</p>]]></remediationBackground>'
                '<references><![CDATA[<ul><li><a href="https://example.test/r">Ref</a></li></ul>]]></references>'
                '<vulnerabilityClassifications><![CDATA[<ul><li><a href="https://cwe.mitre.org/data/definitions/79.html">CWE-79</a></li></ul>]]></vulnerabilityClassifications>'
                '<issueDetail><![CDATA[Detail %d.]]></issueDetail><requestresponse><request method="GET" base64="true"><![CDATA[%s]]></request>'
                '<response base64="true"><![CDATA[%s]]></response><responseRedirected>false</responseRedirected></requestresponse></issue>\n'
                % (n, 5244416 + n % 50, n % 50, n % 5000, n % 5000, ["High", "Medium", "Low", "Information"][n % 4], n, request, response))
    f.write('</issues>\n')

# Acunetix XML (ScanGroup) with one scan holding every item.
with open(os.path.join(out, "large_acunetix.xml"), "w") as f:
    f.write('<?xml version="1.0"?>\n<ScanGroup ExportedOn="05/03/2020, 11:00:00"><Scan><Name>Bench</Name><StartURL>https://shop.example.test</StartURL>'
            '<StartTime>05/03/2020, 10:00:00</StartTime><ReportItems>\n')
    n = 0
    while f.tell() < target:
        n += 1
        f.write('<ReportItem id="%d" color="orange"><Name>Weakness %d</Name><ModuleName>Crawler</ModuleName>'
                '<Details><![CDATA[Form with action <b>/cart/%d</b> has a weakness.]]></Details><Affects><![CDATA[/cart/%d]]></Affects>'
                '<Parameter></Parameter><IsFalsePositive></IsFalsePositive><Severity>%s</Severity><Type>csrf</Type>'
                '<Impact>An attacker may do harm.</Impact><Recommendation>Fix the form.</Recommendation>'
                '<Description><![CDATA[<p>A description of the weakness with <i>markup</i>.</p>]]></Description>'
                '<CWEList><CWE id="352"><![CDATA[CWE-352]]></CWE></CWEList>'
                '<CVSS3 Descriptor=""><Descriptor>CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:L/A:N</Descriptor></CVSS3>'
                '<References><Reference><Database>OWASP</Database><URL>https://owasp.example.test/%d</URL></Reference></References>'
                '<TechnicalDetails><Request>GET /cart/%d HTTP/1.1\nHost: shop.example.test\n\n</Request></TechnicalDetails></ReportItem>\n'
                % (n, n % 100, n % 3000, n % 3000, ["high", "medium", "low", "info"][n % 4], n % 100, n % 3000))
    f.write('</ReportItems></Scan></ScanGroup>\n')
