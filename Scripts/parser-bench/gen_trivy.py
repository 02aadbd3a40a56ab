"""Writes a large synthetic Trivy schema-2 report (default 50 MB) for Scripts/bench-trivy.sh."""
import json, os, sys

out = sys.argv[1]
target = int(sys.argv[2]) if len(sys.argv) > 2 else 50 * 1024 * 1024
os.makedirs(out, exist_ok=True)
path = os.path.join(out, "trivy_large.json")
with open(path, "w") as f:
    f.write('{"SchemaVersion": 2, "ArtifactName": "registry.example/app:1.0", "ArtifactType": "container_image", "Results": [\n')
    n = 0
    result = 0
    while f.tell() < target:
        if result:
            f.write(",\n")
        f.write('{"Target": "registry.example/app:1.0 (debian 12.%d)", "Class": "%s", "Type": "debian", "Vulnerabilities": [\n'
                % (result, "os-pkgs" if result % 2 == 0 else "lang-pkgs"))
        for i in range(2000):
            n += 1
            vuln = {
                "VulnerabilityID": "CVE-2031-%05d" % n, "PkgID": "pkg%d@1.%d" % (n % 700, n % 13), "PkgName": "pkg%d" % (n % 700),
                "InstalledVersion": "1.%d.%d-1" % (n % 13, n % 7), "FixedVersion": "1.%d.%d-2" % (n % 13, n % 7) if n % 3 else "",
                "Status": ["fixed", "affected", "will_not_fix"][n % 3], "Layer": {"Digest": "sha256:%064x" % n, "DiffID": "sha256:%064x" % (n * 7)},
                "SeveritySource": "nvd", "PrimaryURL": "https://avd.aquasec.com/nvd/cve-2031-%05d" % n,
                "DataSource": {"ID": "debian", "Name": "Debian Security Tracker", "URL": "https://salsa.debian.org/security-tracker-team/security-tracker"},
                "Title": "pkg%d: a flaw in the parser allows denial of service" % (n % 700),
                "Description": "A flaw was found in pkg%d. A remote attacker could send crafted input that makes the parser loop, "
                               "exhausting CPU time. The highest threat is to system availability. \u00fc\u00f1\u00ee" % (n % 700),
                "Severity": ["LOW", "MEDIUM", "HIGH", "CRITICAL", "UNKNOWN"][n % 5], "CweIDs": ["CWE-%d" % (20 + n % 900)],
                "VendorSeverity": {"debian": 1, "nvd": 3, "redhat": 2},
                "CVSS": {"nvd": {"V2Vector": "AV:N/AC:L/Au:N/C:N/I:N/A:P", "V3Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
                                 "V2Score": 5, "V3Score": 7.5},
                         "redhat": {"V3Vector": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H", "V3Score": 5.9}},
                "References": ["https://access.redhat.com/security/cve/CVE-2031-%05d" % n, "https://nvd.nist.gov/vuln/detail/CVE-2031-%05d" % n,
                               "https://security-tracker.debian.org/tracker/CVE-2031-%05d" % n],
                "PublishedDate": "2031-01-%02dT10:15:00Z" % (1 + n % 28), "LastModifiedDate": "2031-02-%02dT10:15:00Z" % (1 + n % 28),
            }
            f.write(("," if i else "") + json.dumps(vuln) + "\n")
        f.write("]}")
        result += 1
    f.write("\n]}\n")
print("wrote %s (%.1f MB, %d vulnerabilities)" % (path, os.path.getsize(path) / 1048576, n))
