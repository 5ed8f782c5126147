"""Safe defaults for sites that serve people at risk (issue 17, rows 9 and 10).

HSTS on HTTPS, ``no-store`` on the pages with the chrome, a quick-exit
clearing route that another site cannot trigger, a request id that a client
cannot put on our error page, and CSV cells that a spreadsheet cannot run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from demo_app import create_app
from flask_haven.feedback import neutralise_cell

HALF_YEAR = 180 * 86_400


def test_hsts_on_https_responses(client: FlaskClient) -> None:
    response = client.get("/", base_url="https://localhost")
    value = response.headers["Strict-Transport-Security"]
    assert int(value.removeprefix("max-age=").split(";")[0]) >= HALF_YEAR


def test_no_hsts_over_plain_http(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_hsts_can_be_left_to_the_proxy(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "INSTANCE_PATH": tmp_path, "HAVEN_HSTS_MAX_AGE": None})
    response = app.test_client().get("/", base_url="https://localhost")
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("path", ["/", "/cookies", "/feedback", "/components/"])
def test_pages_with_the_chrome_are_no_store_by_default(client: FlaskClient, path: str) -> None:
    assert client.get(path).headers.get("Cache-Control") == "no-store"


def test_no_store_can_be_turned_off(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "INSTANCE_PATH": tmp_path, "HAVEN_NO_STORE": False})
    assert "no-store" not in (app.test_client().get("/").headers.get("Cache-Control") or "")


# The test client sends Sec-Fetch-Site: same-origin unless told otherwise; an
# empty value stands for an older browser that sends none.
CROSS_SITE = [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Sec-Fetch-Site": "", "Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "", "Referer": "https://evil.example/"},
]


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_cross_site_link_to_the_quick_exit_clears_nothing(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    response = client.get("/_haven/quick-exit", headers=headers)
    assert response.status_code == 303  # still leaves for the exit page
    assert "Clear-Site-Data" not in response.headers


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_cross_site_post_to_the_quick_exit_is_refused(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    response = client.post("/_haven/quick-exit", headers=headers)
    assert response.status_code == 403
    assert "Clear-Site-Data" not in response.headers


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
        {"Sec-Fetch-Site": "", "Origin": "http://localhost"},
        {"Sec-Fetch-Site": ""},
    ],
)
def test_our_own_quick_exit_still_clears(client: FlaskClient, headers: dict[str, str]) -> None:
    response = client.post("/_haven/quick-exit", headers=headers)
    assert response.status_code == 204
    assert "cookies" in response.headers["Clear-Site-Data"]


def test_a_clients_request_id_is_not_echoed_by_default(tmp_path: Path) -> None:
    app: Flask = create_app({"INSTANCE_PATH": tmp_path / "instance"})

    @app.route("/bug")
    def bug() -> str:
        raise RuntimeError("boom")

    response = app.test_client().get("/bug", headers={"X-Request-ID": "CALL-0800-FAKE"})
    assert response.status_code == 500
    assert "CALL-0800-FAKE" not in response.get_data(as_text=True)
    assert response.headers["X-Request-ID"] != "CALL-0800-FAKE"


@pytest.mark.parametrize(
    "cell",
    [
        " =1+1",
        "\t =1+1",
        "\ufeff=1+1",
        "\xa0=HYPERLINK(1)",
        "\u3000@SUM(1)",
        "\uff1d1+1",
        "\uff0b1",
        "\uff0d1",
        "\uff20A1",
        "\u200b=1",
        "\n-2+3",
    ],
)
def test_csv_neutralises_hidden_formula_starts(cell: str) -> None:
    assert neutralise_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Thanks", " thanks", "\ufeffhello", "1 = 1", ""])
def test_csv_leaves_ordinary_cells(cell: str) -> None:
    assert neutralise_cell(cell) == cell
