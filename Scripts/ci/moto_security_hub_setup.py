#!/usr/bin/env python3
"""Prepares a moto_server started with request authentication on (INITIAL_NO_AUTH_ACTION_COUNT=0) for
the AWS Security Hub connector test: lets exactly three unauthenticated IAM calls through (create a
user, give it a Security Hub policy, create its access key), after which moto checks every request
again; then, signed with the new key, enables Security Hub and loads findings with
BatchImportFindings. Prints the key as shell assignments for the Swift test:
    BULWARK_MOTO_KEY_ID=...  BULWARK_MOTO_SECRET=...
Usage: moto_security_hub_setup.py ENDPOINT   (e.g. http://127.0.0.1:15000)"""
import json
import sys
import urllib.request

import boto3

ENDPOINT = sys.argv[1].rstrip("/")
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
OTHER_ACCOUNT = "210987654321"

# Three unauthenticated actions, then authentication applies to everything again.
urllib.request.urlopen(urllib.request.Request(f"{ENDPOINT}/moto-api/reset-auth", data=b"3", method="POST",
                                              headers={"Content-Type": "application/octet-stream"})).read()
admin = dict(endpoint_url=ENDPOINT, region_name=REGION, aws_access_key_id="setup", aws_secret_access_key="setup")
iam = boto3.client("iam", **admin)
iam.create_user(UserName="bulwark-connector")
iam.put_user_policy(UserName="bulwark-connector", PolicyName="security-hub-read-and-load", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["securityhub:*"], "Resource": "*"}],
}))
key = iam.create_access_key(UserName="bulwark-connector")["AccessKey"]

hub = boto3.client("securityhub", endpoint_url=ENDPOINT, region_name=REGION,
                   aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
hub.enable_security_hub()


def finding(number, account, region, label, workflow, record_state="ACTIVE", title=None):
    return {
        "SchemaVersion": "2018-10-08",
        "Id": f"arn:aws:securityhub:{region}:{account}:finding/moto-{number}",
        "ProductArn": f"arn:aws:securityhub:{region}:{account}:product/{account}/default",
        "ProductName": "Default",
        "CompanyName": "Bulwark CI",
        "GeneratorId": f"bulwark-ci-{number}",
        "AwsAccountId": account,
        "Region": region,
        "Types": ["Software and Configuration Checks/Vulnerabilities/CVE"],
        "CreatedAt": "2026-11-01T00:00:00Z",
        "UpdatedAt": "2026-11-20T00:00:00Z",
        "FirstObservedAt": "2026-11-01T00:00:00Z",
        "Severity": {"Label": label},
        "Title": title or f"Moto finding {number}",
        "Description": f"Loaded by BatchImportFindings for the connector test ({number}).",
        "Resources": [{"Type": "AwsAccount", "Id": f"AWS::::Account:{account}", "Region": region}],
        "Workflow": {"Status": workflow},
        "RecordState": record_state,
    }


result = hub.batch_import_findings(Findings=[
    finding(1, ACCOUNT, REGION, "HIGH", "NEW", title="S3 bucket allows public reads"),
    finding(2, ACCOUNT, REGION, "MEDIUM", "RESOLVED"),
    finding(3, ACCOUNT, REGION, "LOW", "SUPPRESSED"),
    finding(4, OTHER_ACCOUNT, "eu-west-1", "CRITICAL", "NOTIFIED"),
    finding(5, OTHER_ACCOUNT, "eu-west-1", "INFORMATIONAL", "NEW", record_state="ARCHIVED"),
])
if result["FailedCount"]:
    sys.exit(f"BatchImportFindings failed: {result['FailedFindings']}")
print(f"BULWARK_MOTO_KEY_ID={key['AccessKeyId']}")
print(f"BULWARK_MOTO_SECRET={key['SecretAccessKey']}")
