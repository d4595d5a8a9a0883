from metpwa.rules.auditwords import device_words, listing_words, record_words

IPAD_SAFARI = ("Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Version/27.2 Mobile/15E148 Safari/604.1")
WINDOWS_EDGE = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0")
MAC_CHROME = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/120.0.0.0 Safari/537.36")


def test_records_read_in_the_practices_words():
    assert record_words("PlanVersion", "2") == "plan version 2"
    assert record_words("Client", "7") == "chart 7"
    assert record_words("SomethingNew", None) == "something new"
    assert record_words(None, None) == ""


def test_a_read_of_many_records_names_the_page():
    assert listing_words({"list": "clients", "query": "lee"}) == "the client list"
    assert listing_words({"report": "audit verify"}) == "the audit seal check"
    assert listing_words({"list": "a new list"}) == "a new list"
    assert listing_words(None) == "" and listing_words("text") == "" and listing_words({"list": 3}) == ""


def test_devices_read_as_device_and_browser():
    assert device_words(IPAD_SAFARI) == "iPad · Safari"
    assert device_words(WINDOWS_EDGE) == "Windows · Edge"
    assert device_words(MAC_CHROME) == "Mac · Chrome"
    assert device_words(None) == "command line"
    assert device_words("curl/8.5.0") == "curl/8.5.0"
