"""Drives Bulwark's pages in headless Chromium (see browser-lane.sh). Exits non-zero on the first failure."""
import json
import os
import sys
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, USER, PASSWORD, SHOTS, WORK = sys.argv[1:6]

# A small rule set in the spirit of axe-core: language, one main landmark, a level-one heading,
# every visible form control labelled, every image and svg named, unique ids.
A11Y_RULES = """
const problems = [];
if (!document.documentElement.lang) problems.push('html has no lang');
if (document.querySelectorAll('main').length !== 1) problems.push('not exactly one main landmark');
if (!document.querySelector('h1')) problems.push('no h1');
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden') continue;
  const labelled = (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.getAttribute('aria-label') || el.closest('label');
  if (!labelled) problems.push('unlabelled ' + el.tagName + ' ' + (el.name || el.id));
}
for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) problems.push('img without alt');
for (const svg of document.querySelectorAll('svg')) if (!svg.getAttribute('aria-labelledby') && !svg.getAttribute('aria-label')) problems.push('unnamed svg');
const ids = {};
for (const el of document.querySelectorAll('[id]')) { if (ids[el.id]) problems.push('duplicate id ' + el.id); ids[el.id] = true; }
for (const a of document.querySelectorAll('a')) if (!a.textContent.trim() && !a.getAttribute('aria-label')) problems.push('empty link');
return problems;
"""


def check(condition, message):
    if not condition:
        print("FAIL:", message)
        sys.exit(1)
    print("ok:", message)


def api(path, token, data=None):
    request = urllib.request.Request(BASE + path, data=json.dumps(data).encode() if data is not None else None,
                                     headers={"Authorization": token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return response.status, json.load(response)


options = webdriver.ChromeOptions()
for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"]:
    options.add_argument(flag)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.implicitly_wait(5)
visited = []


def visit(path):
    driver.get(BASE + path)
    audit()


def click_and_load(by, value):
    """Clicks an element that navigates, and returns once the next page has replaced this one.

    A click returns as soon as the event is dispatched; reading the URL or the page right after it races
    the navigation (it failed that way under CI load)."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(by, value).click()
    WebDriverWait(driver, 30).until(expected_conditions.staleness_of(page))
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def audit():
    problems = driver.execute_script(A11Y_RULES)
    visited.append(driver.current_url)
    check(not problems, f"accessibility rules on {driver.current_url}: {problems}")


try:
    # Log in.
    driver.get(BASE + "/finding")
    check("/login" in driver.current_url, "pages redirect to the login form")
    driver.find_element(By.ID, "username").send_keys(USER)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    click_and_load(By.CSS_SELECTOR, "form button[type=submit]")
    check(driver.current_url.startswith(BASE + "/finding"), "login returns to the page asked for")

    # A product tree to import into, made through the API with the admin's key from the key page.
    visit("/api/key-v2")
    # Keys are stored hashed: the page shows a key only right after generating it.
    click_and_load(By.XPATH, "//button[normalize-space()='Generate New Key']")
    audit()
    header = driver.find_element(By.ID, "api-key").text.strip()
    check(header.startswith("Token ") and len(header) == 46, "the key page shows the exact header value")
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": BASE, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    driver.find_element(By.CSS_SELECTOR, "[data-copy=api-key]").click()
    copied = driver.execute_async_script("navigator.clipboard.readText().then(arguments[0]).catch(() => arguments[0](''))")
    check(copied in ("", header), "the copy button copies the header value")
    key = copied or header
    status, _ = api("/api/v2/findings/?limit=1", key)
    check(status == 200, "the copied key works against the API")
    _, product_type = api("/api/v2/product_types/", key, {"name": "Web"})
    _, product = api("/api/v2/products/", key, {"name": "Shop", "description": "Storefront", "prod_type": product_type["id"]})
    _, engagement = api("/api/v2/engagements/", key, {"name": "CI", "product": product["id"], "target_start": "2026-01-01",
                                                      "target_end": "2026-12-31"})

    # Import a report through the form.
    report = os.path.join(WORK, "report.json")
    with open(report, "w") as handle:
        json.dump({"findings": [
            {"title": "SQL Injection in search", "severity": "High", "description": "Query built from input", "file_path": "app/search.py"},
            {"title": "Stored XSS in comments", "severity": "High", "description": "Unescaped output"},
            {"title": "Missing HSTS header", "severity": "Low", "description": "No Strict-Transport-Security"},
            {"title": "Outdated jQuery", "severity": "Medium", "description": "jQuery 1.x"},
        ]}, handle)
    visit(f"/engagement/{engagement['id']}/import_scan_results")
    Select(driver.find_element(By.ID, "field-scan_type")).select_by_value("Generic Findings Import")
    driver.find_element(By.ID, "field-file").send_keys(report)
    click_and_load(By.CSS_SELECTOR, "form.card button[type=submit]")
    check("Import finished" in driver.page_source, "the import form imports the report")
    audit()

    visit("/")
    driver.save_screenshot(os.path.join(SHOTS, "dashboard.png"))
    check("Active findings by severity (4)" in driver.page_source, "the dashboard counts the imported findings")

    # Filter the list.
    visit("/finding")
    Select(driver.find_element(By.ID, "field-severity")).select_by_value("High")
    click_and_load(By.CSS_SELECTOR, "form[role=search] button[type=submit]")
    check("severity=High" in driver.current_url, "the URL holds the filters")
    check("Findings (2)" in driver.page_source, "the severity filter leaves the two High findings")
    audit()
    driver.save_screenshot(os.path.join(SHOTS, "findings.png"))

    # Close one finding from its page.
    click_and_load(By.LINK_TEXT, "SQL Injection in search")
    audit()
    driver.save_screenshot(os.path.join(SHOTS, "finding.png"))
    driver.find_element(By.ID, "field-note").send_keys("Fixed by parameterised queries")
    click_and_load(By.XPATH, "//button[normalize-space()='Close finding']")
    check("Finding closed." in driver.page_source, "the finding was closed")
    check("Inactive, Mitigated" in driver.page_source, "its status shows it")

    # Bulk-verify two findings.
    visit("/finding?status=active")
    boxes = driver.find_elements(By.CSS_SELECTOR, "input[name=finding]")
    check(len(boxes) == 3, "three findings are still active")
    boxes[0].click()
    boxes[1].click()
    Select(driver.find_element(By.ID, "field-action")).select_by_value("verify")
    click_and_load(By.XPATH, "//button[normalize-space()='Apply to selected']")
    check("2 findings updated." in driver.page_source, "bulk verify changed two findings")
    visit("/finding?status=verified")
    check("Findings (2)" in driver.page_source, "two findings are verified")

    # Narrow screen.
    driver.set_window_size(390, 844)
    visit("/finding")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    check(width <= 400, f"the list fits a phone-width window ({width}px)")
    driver.save_screenshot(os.path.join(SHOTS, "findings-phone.png"))
    driver.set_window_size(1280, 1000)

    # Log out.
    driver.find_element(By.CSS_SELECTOR, ".user-menu summary").click()
    click_and_load(By.LINK_TEXT, "Logout")
    driver.get(BASE + "/")
    check("/login" in driver.current_url, "after logout the pages ask for a login again")
    print(f"browser lane passed; {len(visited)} page checks; screenshots in {SHOTS}")
finally:
    driver.quit()
