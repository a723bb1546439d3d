"""``python -m kenniskaart ogc --release DIR``: serve a release as OGC API Features (pygeoapi).

    python -m kenniskaart ogc --release release/ --port 5000
    python -m kenniskaart ogc --release release/ --write-config ogc/   # only write the configuration

Serves the GeoPackage of a release folder (``python -m kenniskaart release``) at
http://HOST:PORT/ with the collections kennisnetwerken, netwerk_locaties and
netwerk_gemeenten: paging (limit/offset, numberMatched), bbox, filters on any column
(``?soort=werkplaats-sociaal-domein&themas=jeugd&status=active``), one item by id, the
OpenAPI document at /openapi, all as JSON (``--html`` adds pygeoapi's HTML pages, which make
a browser load CSS and scripts from public CDNs). QGIS adds it as a WFS / OGC API - Features
connection. The
pygeoapi configuration and OpenAPI document are generated for the folder on each start
(``--write-config`` writes them for a pygeoapi you run yourself). Stops with Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from kenniskaart.arguments import failed, usage_error


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("ogc", help="serve a release folder as OGC API Features (pygeoapi)",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--release", required=True, type=Path, help="release folder with kennisnetwerken.gpkg")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    parser.add_argument("--url", help="public URL of the service, if behind a proxy (default http://HOST:PORT)")
    parser.add_argument("--html", action="store_true",
                        help="also serve pygeoapi's HTML pages (the visitor's browser then loads CSS and scripts from "
                        "public CDNs and map tiles from PDOK); default: JSON only")
    parser.add_argument("--write-config", type=Path, metavar="FOLDER",
                        help="write pygeoapi-config.yml and pygeoapi-openapi.yml to FOLDER and exit")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from publish.ogc import OgcError, prepare, serve

    if not 0 < args.port < 65536:
        return usage_error("ogc", f"port {args.port} out of range (1-65535)")
    try:
        if args.write_config:
            config, openapi = prepare(args.release, args.write_config, args.host, args.port, args.url)
            print(f"{config}, {openapi}: pygeoapi configuration for {args.release}", file=sys.stderr)
            return 0
        with tempfile.TemporaryDirectory(prefix="kenniskaart-ogc-") as folder:
            config, openapi = prepare(args.release, Path(folder), args.host, args.port, args.url)
            print(f"OGC API Features: {args.url or f'http://{args.host}:{args.port}'}/ (Ctrl-C stops)", file=sys.stderr)
            serve(config, openapi, args.host, args.port, html=args.html)
    except OgcError as exc:
        return failed(exc)
    except OSError as exc:
        return failed(f"cannot serve {args.release}: {exc.strerror or exc}")
    return 0
