"""The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`.

Kept beside the routes it describes: a test compares its paths with `app.url_map`, and
Schemathesis calls every operation against the live app and checks each answer
conforms, so the description cannot drift from what the API does.
"""
from __future__ import annotations

from flask import jsonify

from portal.web.api import bp

_TEXT = {"type": "string"}
_ERROR = {"type": "object", "required": ["error"],
          "properties": {"error": _TEXT, "message": _TEXT}}


def _json(schema_name: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}


_ERRORS = {
    "400": _json("Error", "The request is malformed."),
    "401": _json("Error", "A token was sent but is wrong or revoked (or one is required)."),
    "429": _json("Error", "Too many requests with this token."),
    "503": _json("Error", "Search is being rebuilt; try again after Retry-After seconds."),
}
_QUERY = [
    {"name": "q", "in": "query", "schema": _TEXT, "description": "What the customer typed."},
]
_SEARCH_PARAMETERS = _QUERY + [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                   "maximum": 100}},
    {"name": "lang", "in": "query", "schema": {"enum": ["zh-Hans", "zh-Hant", "en"]}},
    {"name": "category", "in": "query", "schema": _TEXT},
    {"name": "audience", "in": "query", "schema": {"enum": ["public", "internal", "all"]},
     "description": "With a token: which articles to search."},
]
_HIT = {"type": "object", "required": ["article", "anchor", "url", "title", "question"],
        "properties": {"article": _TEXT, "anchor": _TEXT, "url": _TEXT, "title": _TEXT,
                       "question": _TEXT, "snippet": _TEXT, "category": _TEXT, "lang": _TEXT,
                       "audience": _TEXT, "score": {"type": "number"}}}

DESCRIPTION = {
    "openapi": "3.1.0",
    "info": {"title": "Help Portal API", "version": "1",
             "description": "Search, type-ahead and articles for widgets and helpdesks "
                            "(see docs/api.md)."},
    "servers": [{"url": "/api/v1"}],
    "security": [{}, {"bearer": []}],
    "paths": {
        "/search": {"get": {
            "operationId": "search", "summary": "Ranked question-level results",
            "parameters": _SEARCH_PARAMETERS,
            "responses": {"200": _json("SearchPage", "One page of results."), **_ERRORS}}},
        "/suggest": {"get": {
            "operationId": "suggest", "summary": "Type-ahead by prefix or pinyin",
            "parameters": _QUERY,
            "responses": {"200": _json("Suggestions", "Up to eight suggestions."),
                          **_ERRORS}}},
        "/articles/{slug}": {"get": {
            "operationId": "article", "summary": "One article with its questions",
            "parameters": [{"name": "slug", "in": "path", "required": True, "schema": _TEXT}],
            "responses": {"200": _json("Article", "The article."),
                          "404": _json("Error", "No published article the caller may read."),
                          **_ERRORS}}},
        "/links": {"post": {
            "operationId": "links", "summary": "Record that an outside ticket linked an article",
            "security": [{"bearer": []}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["article", "ticket_ref"],
                "properties": {"article": _TEXT, "anchor": _TEXT,
                               "ticket_ref": {"type": "string", "maxLength": 200}}}}}},
            "responses": {"201": _json("Link", "The link was recorded."),
                          "403": _json("Error", "The token may only read."),
                          "404": _json("Error", "No such published article or question."),
                          **_ERRORS}}},
        "/insights/{report}": {"get": {
            "operationId": "insights", "summary": "An ops insights report (docs/insights.md)",
            "security": [{"bearer": []}],
            "parameters": [
                {"name": "report", "in": "path", "required": True, "schema": {
                    "enum": ["searches", "queries", "articles", "tickets", "problems"]}},
                {"name": "range", "in": "query", "schema": {"enum": ["7", "30", "90", "custom"]}},
                {"name": "start", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "end", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "language", "in": "query",
                 "schema": {"enum": ["zh-Hans", "zh-Hant", "en"]}},
                {"name": "category", "in": "query", "schema": _TEXT}],
            "responses": {"200": _json("InsightsReport", "The report's rows."),
                          "403": _json("Error", "The token lacks the insights:read scope."),
                          "404": _json("Error", "No such report."), **_ERRORS}}},
        "/openapi.json": {"get": {
            "operationId": "openapi", "summary": "This description",
            "responses": {"200": {"description": "The OpenAPI document.",
                                  "content": {"application/json": {"schema": {
                                      "type": "object"}}}}}}},
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": _ERROR,
            "SearchPage": {"type": "object",
                           "required": ["query", "total", "page", "per_page", "results"],
                           "properties": {"query": _TEXT, "total": {"type": "integer"},
                                          "page": {"type": "integer"},
                                          "per_page": {"type": "integer"},
                                          "suggestion": {"type": ["string", "null"]},
                                          "facets": {"type": "object"},
                                          "results": {"type": "array", "items": _HIT}}},
            "Suggestions": {"type": "object", "required": ["query", "suggestions"],
                            "properties": {"query": _TEXT, "suggestions": {
                                "type": "array", "items": {
                                    "type": "object", "required": ["text", "article", "url"],
                                    "properties": {"text": _TEXT, "kind": _TEXT,
                                                   "article": _TEXT, "anchor": _TEXT,
                                                   "url": _TEXT}}}}},
            "Article": {"type": "object",
                        "required": ["article", "title", "lang", "questions", "html"],
                        "properties": {"article": _TEXT, "title": _TEXT, "category": _TEXT,
                                       "tags": {"type": "array", "items": _TEXT},
                                       "aliases": {"type": "array", "items": _TEXT},
                                       "lang": _TEXT, "audience": _TEXT, "updated": _TEXT,
                                       "url": _TEXT, "html": _TEXT,
                                       "questions": {"type": "array", "items": {
                                           "type": "object",
                                           "required": ["anchor", "question", "answer_html"],
                                           "properties": {
                                               "anchor": _TEXT, "question": _TEXT,
                                               "url": _TEXT, "answer_html": _TEXT,
                                               "answer_text": _TEXT}}}}},
            "InsightsReport": {"type": "object",
                               "required": ["report", "start", "end", "columns", "rows"],
                               "properties": {"report": _TEXT, "start": _TEXT, "end": _TEXT,
                                              "language": {"type": ["string", "null"]},
                                              "category": {"type": ["string", "null"]},
                                              "columns": {"type": "array", "items": _TEXT},
                                              "rows": {"type": "array",
                                                       "items": {"type": "object"}}}},
            "Link": {"type": "object", "required": ["article", "ticket_ref", "url"],
                     "properties": {"article": _TEXT, "anchor": _TEXT, "ticket_ref": _TEXT,
                                    "url": _TEXT, "linked_in": {"type": "integer"}}},
        },
    },
}


@bp.route("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(DESCRIPTION)
