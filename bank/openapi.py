"""The OpenAPI 3.0 description of the bank's public feed (served at /api/openapi.json), written
from the same vocabularies and limits the feed checks, so that the two cannot drift apart;
`tests/bank/test_openapi.py` runs schemathesis against it on a live server."""

from __future__ import annotations

from bank.services import DEFAULT_PER_PAGE, FILTER_LIMITS, MAX_AMOUNT_MAD, MAX_PER_PAGE
from bank.states import BankStatus, LegalForm
from places.reference import provinces, regions
from submissions.models import SECTORS

_TEXT = {"type": "string"}
_MAYBE_TEXT = {"type": "string", "nullable": True}
_MAYBE_INT = {"type": "integer", "nullable": True}
_MAYBE_NUMBER = {"type": "number", "nullable": True}

# A place of the HCP reference; null only for a legacy project whose place is to be corrected.
_PLACE = {
    "type": "object",
    "nullable": True,
    "required": ["code", "name_fr", "name_ar"],
    "properties": {"code": _TEXT, "name_fr": _TEXT, "name_ar": _TEXT},
}

PROJECT = {
    "type": "object",
    "description": "A project of the bank, without any personal data (no contact, no team).",
    "required": ["id", "title", "sector", "region", "province", "status", "origin"],
    "properties": {
        "id": {"type": "integer"},
        "title": _TEXT,
        "summary": _TEXT,
        "sector": {"type": "string", "enum": list(SECTORS)},
        "region": {**_PLACE, "description": "The region (HCP code and names)"},
        "province": {**_PLACE, "description": "The province or prefecture"},
        "commune": {**_PLACE, "description": "The commune, when one was given"},
        "target_group": _TEXT,
        "expected_jobs": _MAYBE_INT,
        "budget_mad": _MAYBE_INT,
        "financing_sought_mad": _MAYBE_INT,
        "cooperative_name": _MAYBE_TEXT,
        "legal_form": {"type": "string", "nullable": True, "enum": [*LegalForm.values(), None]},
        "members": {
            "type": "object",
            "description": "How many members, of whom women and of whom aged 18 to 34 (counts only)",
            "properties": {"count": _MAYBE_INT, "women": _MAYBE_INT, "youth": _MAYBE_INT},
        },
        "beneficiaries_count": _MAYBE_INT,
        "funding_split": {
            "type": "object",
            "description": "The budget by who funds it, in dirhams",
            "properties": {
                "programme_mad": _MAYBE_INT,
                "holder_mad": _MAYBE_INT,
                "partners_mad": _MAYBE_INT,
            },
        },
        "business_model": {
            "type": "object",
            "properties": {
                key: _TEXT
                for key in (
                    "products",
                    "customers",
                    "channels",
                    "revenue_sources",
                    "main_costs",
                    "resources",
                    "break_even",
                )
            },
        },
        "financial_plan": {
            "type": "object",
            "properties": {
                "investment_mad": {"type": "integer"},
                "investment": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"label": _TEXT, "amount_mad": {"type": "integer"}},
                    },
                },
                "years": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "year": {"type": "integer"},
                            "revenue_mad": {"type": "integer"},
                            "costs_mad": {"type": "integer"},
                            "result_mad": {"type": "integer"},
                            "jobs": _MAYBE_INT,
                        },
                    },
                },
                "break_even_year": _MAYBE_INT,
            },
        },
        "financing_sources": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"source": _MAYBE_TEXT, "amount_mad": _MAYBE_INT},
            },
        },
        "financing_available_mad": {"type": "integer"},
        "partners": _TEXT,
        "status": {"type": "string", "enum": BankStatus.values()},
        "origin": {
            "type": "object",
            "properties": {
                "event": _MAYBE_TEXT,
                "city": _MAYBE_TEXT,
                "city_ar": _MAYBE_TEXT,
                "year": _MAYBE_INT,
                "rank": _MAYBE_INT,
                "is_winner": {"type": "boolean"},
                "score_100": _MAYBE_NUMBER,
                "mean_z": _MAYBE_NUMBER,
                "raw": _MAYBE_NUMBER,
            },
        },
        "updated_at": {"type": "string", "format": "date-time", "nullable": True},
    },
}
ERROR = {
    "type": "object",
    "required": ["ok", "error"],
    "properties": {
        "ok": {"type": "boolean", "enum": [False]},
        "error": _TEXT,
        "field": _MAYBE_TEXT,
        "errors": {"type": "object", "additionalProperties": _TEXT},
    },
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _json(schema_ref: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": schema_ref}}},
    }


def document(server_url: str) -> dict:
    """The OpenAPI document, its server being the address it was asked from."""
    amount = {"type": "integer", "minimum": 0, "maximum": MAX_AMOUNT_MAD}
    # An empty bound is no bound, as the filter form sends it.
    maybe_amount = {"anyOf": [amount, {"type": "string", "maxLength": 0}]}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Idéathon — banque nationale de projets coopératifs",
            "version": "1",
            "description": "The public feed of the project bank: projects born from the tour "
            "of idea competitions, without personal data. Errors answer "
            '{"ok": false, "error": ...} with status 400 (a bad parameter) or 404.',
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": {
            "/api/bank/projects": {
                "get": {
                    "operationId": "listProjects",
                    "summary": "The bank's projects, filtered and paginated",
                    "parameters": [
                        _query(
                            "q",
                            {"type": "string", "maxLength": FILTER_LIMITS["q"]},
                            "Words to find",
                        ),
                        _query(
                            "region",
                            {"type": "string", "enum": ["", *(r.code for r in regions())]},
                            "Region: its HCP code, 01 to 12 (empty: any)",
                        ),
                        _query(
                            "province",
                            {"type": "string", "enum": ["", *(p.code for p in provinces())]},
                            "Province or prefecture: its HCP code, e.g. 02.411 (empty: any)",
                        ),
                        _query(
                            "sector",
                            {"type": "string", "enum": ["", *SECTORS]},
                            "Sector (empty: any)",
                        ),
                        _query(
                            "status",
                            {"type": "string", "enum": ["", *BankStatus.values()]},
                            "Status (empty: any)",
                        ),
                        _query("min_budget", maybe_amount, "Smallest budget, in dirhams"),
                        _query("max_budget", maybe_amount, "Largest budget, in dirhams"),
                        _query(
                            "page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "Page"
                        ),
                        _query(
                            "per_page",
                            {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_PER_PAGE,
                                "default": DEFAULT_PER_PAGE,
                            },
                            "Projects per page",
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of projects",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["total", "page", "per_page", "pages", "items"],
                                        "properties": {
                                            "total": {"type": "integer", "minimum": 0},
                                            "page": {"type": "integer", "minimum": 1},
                                            "per_page": {"type": "integer", "minimum": 1},
                                            "pages": {"type": "integer", "minimum": 1},
                                            "next": _MAYBE_TEXT,
                                            "previous": _MAYBE_TEXT,
                                            "items": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Project"},
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": _json("#/components/schemas/Error", "A bad parameter"),
                    },
                }
            },
            "/api/bank/projects/{project_id}": {
                "get": {
                    "operationId": "getProject",
                    "summary": "One project of the bank",
                    "parameters": [
                        {
                            "name": "project_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1},
                        }
                    ],
                    "responses": {
                        "200": _json("#/components/schemas/Project", "The project"),
                        "404": _json("#/components/schemas/Error", "No such project"),
                    },
                }
            },
        },
        "components": {"schemas": {"Project": PROJECT, "Error": ERROR}},
    }
