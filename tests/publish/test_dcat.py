"""dcat.jsonld parses as RDF and holds what DCAT-AP-NL 3.0 makes mandatory, with its checksums right."""

from __future__ import annotations

import hashlib

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF

DCAT = Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 (rdflib's own DCAT lacks dcat:version)
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
BASE = "https://data.example.org/kenniskaart/"


@pytest.fixture(scope="module")
def graph(sample_release):
    g = Graph()
    g.parse(data=sample_release["dcat.jsonld"].decode("utf-8"), format="json-ld")
    return g


def _one(graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def test_the_dataset_has_every_mandatory_property(graph):
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.identifier, DCTERMS.accessRights,
                      DCTERMS.license, DCTERMS.modified, DCTERMS.temporal, DCAT.version):
        assert list(graph.objects(dataset, predicate)), predicate
    for agent in (_one(graph, dataset, DCTERMS.publisher), _one(graph, dataset, DCTERMS.creator)):
        assert (agent, RDF.type, FOAF.Agent) in graph and list(graph.objects(agent, FOAF.name))
    contact = _one(graph, dataset, DCAT.contactPoint)
    assert _one(graph, contact, VCARD.hasEmail) == URIRef("mailto:register@example.org")
    assert URIRef("http://publications.europa.eu/resource/authority/data-theme/SOCI") in set(
        graph.objects(dataset, DCAT.theme))
    assert _one(graph, dataset, DCTERMS.accessRights) == URIRef(
        "http://publications.europa.eu/resource/authority/access-right/PUBLIC")
    assert str(_one(graph, dataset, DCAT.version)) == "2026-03-05"
    period = _one(graph, dataset, DCTERMS.temporal)
    assert str(_one(graph, period, DCAT.startDate)) == "2000" and str(_one(graph, period, DCAT.endDate)) == "2026-03-05"


def test_spatial_coverage_names_the_gemeenten_by_cbs_code(graph):
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    places = set(graph.objects(dataset, DCTERMS.spatial))
    groningen = URIRef("https://identifier.overheid.nl/tooi/id/gemeente/gm0014")
    assert groningen in places
    assert (groningen, DCTERMS.identifier, Literal("GM0014")) in graph
    assert URIRef("http://publications.europa.eu/resource/authority/country/NLD") in places
    assert any(list(graph.objects(p, DCAT.bbox)) for p in places)


def test_every_distribution_has_url_licence_format_size_and_a_correct_checksum(graph, sample_release):
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    distributions = list(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) == len(sample_release) - 2  # all but dcat.jsonld itself and SHA256SUMS
    for dist in distributions:
        url = str(_one(graph, dist, DCAT.accessURL))
        assert url.startswith(BASE)
        data = sample_release[url.removeprefix(BASE)]
        assert list(graph.objects(dist, DCTERMS.license)) and list(graph.objects(dist, DCTERMS.format))
        assert int(_one(graph, dist, DCAT.byteSize)) == len(data)
        checksum = _one(graph, dist, SPDX.checksum)
        assert str(_one(graph, checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()


def test_the_ogc_api_is_a_data_service_serving_the_dataset(graph):
    (service,) = graph.subjects(RDF.type, DCAT.DataService)
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    assert _one(graph, service, DCAT.servesDataset) == dataset
    assert _one(graph, service, DCAT.endpointURL) == URIRef("https://data.example.org/ogc")
    assert list(graph.objects(service, DCAT.endpointDescription)) and list(graph.objects(service, DCTERMS.license))
