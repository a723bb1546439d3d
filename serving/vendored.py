"""``python -m serving.vendored check``: the vendored front-end files are npm's own.

The map serves Leaflet and topojson-client from ``webmap/static`` (no CDN; see
``webmap/static/README.md``) and the accessibility tests inject axe-core from
``tests/e2e/vendor/axe-core``, all committed as published on the npm registry.
``serving/vendored.json`` records, per package, the registry's ``dist.integrity`` (the sha512 of
the package tarball, as npm checks it on install), the tarball's URL, for every vendored file the
tarball member it comes from and its sha512, and the package folder's own files (a README of
ours) that are not from npm.

* ``check``: every listed file is a regular file with the recorded sha512 and the folders hold no
  other file; then, for each package, the registry's ``dist.integrity`` must equal the recorded
  one, the downloaded tarball must have that sha512, and each vendored file must be byte for byte
  the tarball member it names (with the recorded hash). ``--offline`` stops after the files on
  disk; ``--registry URL`` asks another npm-shaped registry (the tests' local server).
* ``update``: after vendoring a new version (``npm pack``, files copied, ``version`` and
  ``files`` edited in the JSON, hashes left empty), fetches the integrity and writes every hash;
  it refuses a file that differs from its tarball member and a recorded integrity that is not
  the registry's.

Every problem is one line ``path: what is wrong``; exit status 1 if there is any.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = Path(__file__).with_name("vendored.json")
REGISTRY = "https://registry.npmjs.org"
MAX_TARBALL_BYTES = 20 * 1024 * 1024
MAX_METADATA_BYTES = 2 * 1024 * 1024
TIMEOUT_S = 60


class VendoredError(RuntimeError):
    """The manifest cannot be read, or the registry did not answer as expected."""


@dataclass(frozen=True)
class VendoredFile:
    path: str  # inside the package folder
    member: str  # inside the npm tarball
    sha512: str  # hex


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    folder: str  # relative to the repository root
    tarball: str
    integrity: str  # npm's dist.integrity: "sha512-<base64>"
    files: tuple[VendoredFile, ...]
    own: tuple[str, ...] = ()  # files of ours in the folder (a README), not from npm

    @property
    def label(self) -> str:
        return f"npm {self.name}@{self.version}"


def sha512_hex(data: bytes) -> str:
    return hashlib.sha512(data).hexdigest()


def integrity_of(data: bytes) -> str:
    """The Subresource-Integrity string npm publishes for a tarball: ``sha512-<base64>``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def load_manifest(path: Path = MANIFEST) -> list[Package]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [
            Package(
                name=p["name"], version=p["version"], folder=p["folder"], tarball=p["tarball"],
                integrity=p["integrity"],
                files=tuple(VendoredFile(f, spec["from"], spec["sha512"]) for f, spec in sorted(p["files"].items())),
                own=tuple(sorted(p.get("own", []))),
            )
            for p in raw["packages"]
        ]  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise VendoredError(f"{path}: not a readable manifest ({type(error).__name__}: {error})") from error


def save_manifest(packages: list[Package], path: Path = MANIFEST) -> None:
    data = {
        "about": "Vendored front-end files and their npm registry hashes; checked by python -m serving.vendored check.",
        "packages": [
            {
                "name": p.name, "version": p.version, "folder": p.folder, "tarball": p.tarball,
                "integrity": p.integrity,
                "files": {f.path: {"from": f.member, "sha512": f.sha512} for f in p.files},
                **({"own": list(p.own)} if p.own else {}),
            }
            for p in packages
        ],
    }  # fmt: skip
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def check_local(packages: list[Package], root: Path = ROOT) -> list[str]:
    """Problems with the files on disk against the manifest (no network)."""
    problems = []
    for p in packages:
        folder = root / p.folder
        for f in p.files:
            path = folder / f.path
            shown = f"{p.folder}/{f.path}"
            if path.is_symlink() or not path.is_file():
                problems.append(f"{shown}: missing or not a regular file ({p.label} {f.member})")
                continue
            actual = sha512_hex(path.read_bytes())
            if actual != f.sha512:
                problems.append(f"{shown}: sha512 {actual[:16]}… differs from {p.label} {f.member} ({f.sha512[:16]}…)")
        known = {f.path for f in p.files} | set(p.own)
        if folder.is_dir():
            for extra in sorted(x for x in folder.rglob("*") if not x.is_dir()):
                relative = extra.relative_to(folder).as_posix()
                if relative not in known:
                    problems.append(f"{p.folder}/{relative}: not part of {p.label} as vendored ({MANIFEST.name})")
    return problems


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """The registry answers directly; a redirect could lead anywhere, so it is an error."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


def _fetch(url: str, registry: str, limit: int) -> bytes:
    if not url.startswith(registry.rstrip("/") + "/") or not url.startswith(("https://", "http://")):
        raise VendoredError(f"{url}: not on the registry {registry}")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (http(s), checked above)
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=TIMEOUT_S) as response:
            data = bytes(response.read(limit + 1))
    except OSError as error:
        raise VendoredError(f"{url}: {error}") from error
    if len(data) > limit:
        raise VendoredError(f"{url}: more than {limit} bytes")
    return data


def registry_dist(p: Package, registry: str) -> tuple[str, str]:
    """``(dist.integrity, dist.tarball)`` of the package version as the registry publishes them."""
    url = f"{registry.rstrip('/')}/{p.name}/{p.version}"
    try:
        dist = json.loads(_fetch(url, registry, MAX_METADATA_BYTES))["dist"]
        return str(dist["integrity"]), str(dist["tarball"])
    except (ValueError, KeyError, TypeError) as error:
        raise VendoredError(f"{url}: no dist.integrity ({type(error).__name__}: {error})") from error


def tarball_members(data: bytes) -> dict[str, bytes]:
    """The regular files of an npm tarball (``package/...``) by name."""
    members = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            if member.isfile():
                extracted = archive.extractfile(member)
                if extracted is not None:
                    members[member.name] = extracted.read()
    return members


def check_tarball(p: Package, data: bytes, root: Path = ROOT) -> list[str]:
    """Problems of a downloaded tarball against the manifest and the files on disk."""
    got = integrity_of(data)
    if got != p.integrity:
        return [f"{p.tarball}: tarball sha512 {got[:24]}… is not the integrity {p.integrity[:24]}… of {p.label}"]
    problems = []
    members = tarball_members(data)
    for f in p.files:
        shown = f"{p.folder}/{f.path}"
        if f.member not in members:
            problems.append(f"{shown}: {f.member} is not in {p.label}")
            continue
        if sha512_hex(members[f.member]) != f.sha512:
            problems.append(f"{shown}: the recorded sha512 is not that of {f.member} in {p.label}")
        path = root / p.folder / f.path
        if path.is_file() and path.read_bytes() != members[f.member]:
            problems.append(f"{shown}: differs from {f.member} in {p.label}")
    return problems


def _tarball_url(p: Package, published: str) -> str:
    """The tarball to download: the registry's ``dist.tarball``, which must be the recorded one
    (same path; the host is the registry's, so a test registry serves its own)."""
    if urllib.parse.urlsplit(published).path != urllib.parse.urlsplit(p.tarball).path:
        raise VendoredError(f"{MANIFEST.name}: {p.label}: the registry's tarball {published} is not the recorded {p.tarball}")
    return published


def check_online(packages: list[Package], root: Path = ROOT, registry: str = REGISTRY) -> list[str]:
    problems = []
    for p in packages:
        integrity, published = registry_dist(p, registry)
        if integrity != p.integrity:
            problems.append(f"{MANIFEST.name}: {p.label}: the registry's integrity {integrity[:24]}… "
                            f"is not the recorded {p.integrity[:24]}…")  # fmt: skip
            continue
        problems += check_tarball(p, _fetch(_tarball_url(p, published), registry, MAX_TARBALL_BYTES), root)
    return problems


def update(packages: list[Package], root: Path = ROOT, registry: str = REGISTRY) -> list[Package]:
    """The manifest with integrity and file hashes from the registry; raises on any difference."""
    out = []
    for p in packages:
        integrity, published = registry_dist(p, registry)
        if p.integrity and p.integrity != integrity:
            raise VendoredError(f"{MANIFEST.name}: {p.label}: the registry's integrity is not the recorded one")
        data = _fetch(published, registry, MAX_TARBALL_BYTES)
        if integrity_of(data) != integrity:
            raise VendoredError(f"{published}: does not match the registry's own integrity {integrity[:24]}…")
        members = tarball_members(data)
        files = []
        for f in p.files:
            local = (root / p.folder / f.path).read_bytes()
            if members.get(f.member) != local:
                raise VendoredError(f"{p.folder}/{f.path}: not byte for byte {f.member} of {p.label}")
            files.append(VendoredFile(f.path, f.member, sha512_hex(local)))
        out.append(replace(p, tarball=published, integrity=integrity, files=tuple(files)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m serving.vendored", description=__doc__.splitlines()[0].split(": ", 1)[-1])
    parser.add_argument("command", choices=["check", "update"], help="check the files, or write the hashes anew")
    parser.add_argument("--offline", action="store_true", help="check: only the files on disk against vendored.json")
    parser.add_argument("--registry", default=REGISTRY, help=f"the npm registry (default {REGISTRY})")
    parser.add_argument("--manifest", type=Path, default=MANIFEST, help="the manifest (default serving/vendored.json)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the folders in the manifest are relative to this")
    args = parser.parse_args(argv)
    try:
        packages = load_manifest(args.manifest)
        if args.command == "update":
            packages = update(packages, args.root, args.registry)
            save_manifest(packages, args.manifest)
            print(f"{args.manifest}: written for " + ", ".join(f"{p.name}@{p.version}" for p in packages))
        problems = check_local(packages, args.root)
        if not args.offline and not problems:
            problems = check_online(packages, args.root, args.registry)
    except (VendoredError, OSError, tarfile.TarError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        return 1
    n = sum(len(p.files) for p in packages)
    where = f"the hashes in {args.manifest.name}" if args.offline else f"the tarballs of {args.registry}"
    print(f"{n} vendored files of " + ", ".join(f"{p.name}@{p.version}" for p in packages) + f" match {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
