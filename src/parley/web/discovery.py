"""The Google API discovery document of Parley's commentanalyzer v1alpha1 service.

Google's client libraries build their `comments().analyze()` calls from it, so pointing
`discoveryServiceUrl` at Parley is all a Perspective user changes.
"""

from __future__ import annotations

from typing import Any

_PROBABILITY = {
    "type": "object",
    "properties": {"value": {"type": "number", "format": "float"}, "type": {"type": "string"}},
}


def _schema(name: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {"id": name, "type": "object", "properties": properties}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": name}


_SCHEMAS = {
    "TextEntry": _schema("TextEntry", {"text": {"type": "string"}, "type": {"type": "string"}}),
    "Context": _schema("Context", {"entries": {"type": "array", "items": _ref("TextEntry")}}),
    "AttributeParameters": _schema(
        "AttributeParameters",
        {"scoreType": {"type": "string"}, "scoreThreshold": {"type": "number", "format": "float"}},
    ),
    "Score": {"id": "Score", **_PROBABILITY},
    "SpanScore": _schema("SpanScore", {"begin": {"type": "integer", "format": "int32"},
                                       "end": {"type": "integer", "format": "int32"},
                                       "score": _ref("Score")}),
    "AttributeScores": _schema("AttributeScores", {
        "summaryScore": _ref("Score"),
        "spanScores": {"type": "array", "items": _ref("SpanScore")},
    }),
    "AnalyzeCommentRequest": _schema("AnalyzeCommentRequest", {
        "comment": _ref("TextEntry"),
        "context": _ref("Context"),
        "requestedAttributes": {"type": "object",
                                "additionalProperties": _ref("AttributeParameters")},
        "languages": {"type": "array", "items": {"type": "string"}},
        "doNotStore": {"type": "boolean"},
        "spanAnnotations": {"type": "boolean"},
        "clientToken": {"type": "string"},
        "sessionId": {"type": "string"},
        "communityId": {"type": "string"},
        "dropUnsupportedAttributes": {"type": "boolean"},
    }),
    "AnalyzeCommentResponse": _schema("AnalyzeCommentResponse", {
        "attributeScores": {"type": "object", "additionalProperties": _ref("AttributeScores")},
        "languages": {"type": "array", "items": {"type": "string"}},
        "detectedLanguages": {"type": "array", "items": {"type": "string"}},
        "clientToken": {"type": "string"},
    }),
    "SuggestCommentScoreRequest": _schema("SuggestCommentScoreRequest", {
        "comment": _ref("TextEntry"),
        "context": _ref("Context"),
        "attributeScores": {"type": "object", "additionalProperties": _ref("AttributeScores")},
        "languages": {"type": "array", "items": {"type": "string"}},
        "doNotStore": {"type": "boolean"},
        "clientToken": {"type": "string"},
        "sessionId": {"type": "string"},
        "communityId": {"type": "string"},
    }),
    "SuggestCommentScoreResponse": _schema(
        "SuggestCommentScoreResponse", {"clientToken": {"type": "string"}}
    ),
}  # fmt: skip


def _method(name: str, request: str, response: str, description: str) -> dict[str, Any]:
    path = f"v1alpha1/comments:{name}"
    return {
        "id": f"commentanalyzer.comments.{name}",
        "path": path,
        "flatPath": path,
        "httpMethod": "POST",
        "description": description,
        "parameters": {},
        "parameterOrder": [],
        "request": _ref(request),
        "response": _ref(response),
    }


def discovery_document(root_url: str) -> dict[str, Any]:
    """The document for a Parley reachable at `root_url` (ending in '/')."""
    return {
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "id": "commentanalyzer:v1alpha1",
        "name": "commentanalyzer",
        "version": "v1alpha1",
        "title": "Parley (Perspective-compatible Comment Analyzer API)",
        "description": "Toxicity scores computed on the site owner's machine by Parley.",
        "protocol": "rest",
        "rootUrl": root_url,
        "servicePath": "",
        "baseUrl": root_url,
        # No "batchPath": Parley has no batch endpoint, and Google's client would only send
        # batches where the document offers one.
        "parameters": {
            "key": {"type": "string", "location": "query", "description": "API key"},
            "alt": {"type": "string", "location": "query", "default": "json", "enum": ["json"]},
            "prettyPrint": {"type": "boolean", "location": "query", "default": "true"},
            "fields": {"type": "string", "location": "query"},
        },
        "schemas": _SCHEMAS,
        "resources": {
            "comments": {
                "methods": {
                    "analyze": _method(
                        "analyze",
                        "AnalyzeCommentRequest",
                        "AnalyzeCommentResponse",
                        "Analyzes the text and returns scores for the attributes.",
                    ),
                    "suggestscore": _method(
                        "suggestscore",
                        "SuggestCommentScoreRequest",
                        "SuggestCommentScoreResponse",
                        "Suggests scores for a comment, kept as feedback.",
                    ),
                }
            }
        },
    }
