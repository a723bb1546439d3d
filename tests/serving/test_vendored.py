"""``python -m serving.vendored check`` against a local npm-shaped registry (no internet).

The registry is a real HTTP server on loopback answering ``/<name>/<version>`` with npm's
metadata shape (``dist.integrity``, ``dist.tarball``) and serving a gzipped tarball made here.
Each fault a real attack or accident would produce must be named, on its path, with exit 1.
"""

from __future__ import annotations

import io
import json
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from serving import vendored
from tests.serving.ports import free_ports

FILES = {"package/dist/lib.js": b"console.log('lib');\n", "package/LICENSE": b"ISC licence\n"}


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


class Registry:
    """What the fake registry answers; tests change it to inject a fault."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.tarball = tarball(FILES)
        self.integrity = vendored.integrity_of(self.tarball)
        self.requests: list[str] = []

    def metadata(self) -> bytes:
        tgz = f"{self.url}/lib/-/lib-1.0.0.tgz"
        return json.dumps({"name": "lib", "version": "1.0.0", "dist": {"integrity": self.integrity, "tarball": tgz}}).encode()


@pytest.fixture
def registry():
    (port,) = free_ports(1)
    state = Registry(port)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            body = {"/lib/1.0.0": state.metadata, "/lib/-/lib-1.0.0.tgz": lambda: state.tarball}.get(self.path)
            if body is None:
                self.send_error(404)
                return
            data = body()
            self.send_response(200)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def project(tmp_path: Path, registry: Registry) -> Path:
    """A project whose manifest records the registry's package and whose folder holds its files."""
    folder = tmp_path / "static" / "lib"
    folder.mkdir(parents=True)
    (folder / "lib.js").write_bytes(FILES["package/dist/lib.js"])
    (folder / "LICENSE").write_bytes(FILES["package/LICENSE"])
    (folder / "README.md").write_text("ours\n")
    package = vendored.Package(
        "lib", "1.0.0", "static/lib", "https://registry.npmjs.org/lib/-/lib-1.0.0.tgz", registry.integrity,
        files=(
            vendored.VendoredFile("LICENSE", "package/LICENSE", vendored.sha512_hex(FILES["package/LICENSE"])),
            vendored.VendoredFile("lib.js", "package/dist/lib.js", vendored.sha512_hex(FILES["package/dist/lib.js"])),
        ),
        own=("README.md",),
    )  # fmt: skip
    vendored.save_manifest([package], tmp_path / "vendored.json")
    return tmp_path


def check(project: Path, registry: Registry, *extra: str) -> int:
    args = ["check", "--manifest", str(project / "vendored.json"), "--root", str(project), "--registry", registry.url]
    return vendored.main([*args, *extra])


def test_files_as_published_pass_and_the_tarball_is_fetched_from_the_registry(project, registry, capsys):
    assert check(project, registry) == 0
    assert "2 vendored files of lib@1.0.0 match the tarballs of" in capsys.readouterr().out
    assert registry.requests == ["/lib/1.0.0", "/lib/-/lib-1.0.0.tgz"]


def test_a_tampered_vendored_file_is_named(project, registry, capsys):
    (project / "static" / "lib" / "lib.js").write_bytes(b"console.log('evil');\n")
    assert check(project, registry, "--offline") == 1
    err = capsys.readouterr().err
    assert "static/lib/lib.js: sha512 " in err and "differs from npm lib@1.0.0 package/dist/lib.js" in err
    assert registry.requests == []  # --offline asks nobody


def test_a_file_that_matches_a_tampered_manifest_is_caught_by_the_tarball(project, registry, capsys):
    # Someone changes the file and its recorded hash together: only the registry's tarball tells.
    evil = b"console.log('evil');\n"
    (project / "static" / "lib" / "lib.js").write_bytes(evil)
    manifest = json.loads((project / "vendored.json").read_text())
    manifest["packages"][0]["files"]["lib.js"]["sha512"] = vendored.sha512_hex(evil)
    (project / "vendored.json").write_text(json.dumps(manifest))
    assert check(project, registry, "--offline") == 0
    assert check(project, registry) == 1
    err = capsys.readouterr().err
    assert "static/lib/lib.js: the recorded sha512 is not that of package/dist/lib.js in npm lib@1.0.0" in err
    assert "static/lib/lib.js: differs from package/dist/lib.js in npm lib@1.0.0" in err


def test_a_tarball_that_is_not_the_published_integrity_is_refused(project, registry, capsys):
    registry.tarball = tarball({**FILES, "package/dist/lib.js": b"console.log('evil');\n"})  # metadata unchanged
    assert check(project, registry) == 1
    err = capsys.readouterr().err
    assert "/lib/-/lib-1.0.0.tgz: tarball sha512 sha512-" in err and "is not the integrity" in err


def test_a_registry_whose_integrity_differs_from_the_recorded_one_is_refused(project, registry, capsys):
    registry.tarball = tarball({**FILES, "package/dist/lib.js": b"console.log('evil');\n"})
    registry.integrity = vendored.integrity_of(registry.tarball)  # a republished (or forged) package
    assert check(project, registry) == 1
    err = capsys.readouterr().err
    assert "vendored.json: npm lib@1.0.0: the registry's integrity sha512-" in err and "is not the recorded" in err
    assert registry.requests == ["/lib/1.0.0"]  # the tarball is not even fetched


def test_an_unlisted_file_and_a_symlink_are_named(project, registry, capsys):
    folder = project / "static" / "lib"
    (folder / "extra.js").write_text("x")
    (folder / "LICENSE").unlink()
    (folder / "LICENSE").symlink_to(folder / "README.md")
    assert check(project, registry, "--offline") == 1
    err = capsys.readouterr().err
    assert "static/lib/extra.js: not part of npm lib@1.0.0 as vendored" in err
    assert "static/lib/LICENSE: missing or not a regular file" in err


def test_a_registry_that_does_not_answer_is_one_error_line(project, registry, capsys):
    registry.url = registry.url.rsplit(":", 1)[0] + ":1"  # nothing listens there
    assert check(project, registry) == 1
    assert capsys.readouterr().err.startswith("error: http://127.0.0.1:1/lib/1.0.0: ")


def test_the_committed_vendored_files_match_the_manifest():
    # The project's own files (offline; the registry check is run by hand: python -m serving.vendored check).
    packages = vendored.load_manifest()
    assert {p.name for p in packages} == {"leaflet", "topojson-client", "axe-core"}
    assert vendored.check_local(packages) == []
    assert all(p.integrity.startswith("sha512-") and all(len(f.sha512) == 128 for f in p.files) for p in packages)
