"""The proxy's configuration (itinerary.cluster.nginx_config), checked by Debian's nginx itself;
the set-up running for real is tests/browser/test_cluster.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from itinerary import cluster
from itinerary.cli import main


def test_the_configuration_routes_by_its_own_cookie_and_passes_websockets_on(tmp_path: Path) -> None:
    text = cluster.nginx_config(["127.0.0.1:8721", "10.0.0.7:8501"], "127.0.0.1:8730", tmp_path)
    assert "hash $cityplus_node consistent;" in text and "ip_hash" not in text
    assert '"" $request_id;' in text and "add_header Set-Cookie $cityplus_set_node always;" in text
    assert "server 127.0.0.1:8721 max_fails=1" in text and "server 10.0.0.7:8501 max_fails=1" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text and "Connection $connection_upgrade" in text
    assert f"client_max_body_size {cluster.UPLOAD_LIMIT_MB}m;" in text
    assert "listen 127.0.0.1:8730;" in text and str(tmp_path.resolve()) in text


def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    if not Path(cluster.NGINX).exists():
        pytest.skip("nginx missing: make nginx")
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "tmp" / name).mkdir(parents=True)
    conf = tmp_path / "nginx.conf"
    conf.write_text(cluster.nginx_config(["127.0.0.1:8721", "127.0.0.1:8722"], "127.0.0.1:8730", tmp_path))
    check = subprocess.run(
        [cluster.NGINX, "-t", "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr


def test_the_command_prints_the_configuration_for_other_machines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cluster", "--config", "10.0.0.7:8501", "10.0.0.8:8501", "--listen", "80"]) == 0
    out = capsys.readouterr().out
    assert "server 10.0.0.7:8501" in out and "server 10.0.0.8:8501" in out and "listen 80;" in out


def test_no_app_process_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        cluster.nginx_config([], "8730", "run")


def test_established_counts_a_listening_port_with_no_connection_as_none() -> None:
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert cluster.established(port) == 0
        with socket.create_connection(("127.0.0.1", port)):
            accepted, _ = server.accept()
            with accepted:
                assert cluster.established(port) == 1
