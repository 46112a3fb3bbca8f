"""The REST API over real HTTP on loopback, against a real database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.live import LiveServer

PROBLEM = "application/problem+json"


def post(client: httpx.Client, body: str, thread: str = "/post/", **fields: Any) -> httpx.Response:
    return client.post("/api/v1/comments", json={"thread": thread, "body": body, **fields})


def thread(client: httpx.Client, key: str = "/post/", **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/comments", params={"thread": key, **params})
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def assert_problem(response: httpx.Response, status: int, code: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["status"] == status and problem["code"] == code
    assert {"type", "title", "detail"} <= problem.keys()
    return problem  # type: ignore[no-any-return]


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_post_reply_and_read_the_tree(
    engine: str, start_server: Callable[..., LiveServer], request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue(f"{engine}_url")
    with start_server(database_url=url).client() as client:
        assert thread(client)["comments"] == []
        root = post(client, "First *thoughts*", name="Ann", email="ann@example.org", title="Post")
        assert root.status_code == 201
        created = root.json()
        assert created["author_token"] and created["held"] is False
        assert "email" not in root.text and "ann@example.org" not in root.text
        parent_id = created["comment"]["id"]
        for depth in range(1, 5):
            reply = post(client, f"reply at depth {depth}", parent_id=parent_id, name="Bob")
            assert reply.json()["comment"]["depth"] == depth
            parent_id = reply.json()["comment"]["id"]
        body = thread(client)
        # the title comes from the site (an import), never from a poster
        assert body["thread"] == {"key": "/post/", "title": "", "locked": False, "count": 5}
        assert [c["depth"] for c in body["comments"]] == [0, 1, 2, 3, 4]
        first = body["comments"][0]
        assert first["html"] == "<p>First <em>thoughts</em></p>"
        assert first["author"]["name"] == "Ann" and len(first["author"]["avatar"]) == 16
        assert "ann@example.org" not in str(body)


def test_replies_beyond_the_depth_cap_attach_to_the_deepest_allowed_parent(
    start_server: Callable[..., LiveServer],
) -> None:
    with start_server(max_depth=2).client() as client:
        parent_id = None
        ids = []
        for n in range(4):
            response = post(client, f"level {n}", parent_id=parent_id)
            ids.append(response.json()["comment"]["id"])
            parent_id = ids[-1]
        comments = {c["id"]: c for c in thread(client)["comments"]}
        assert [comments[i]["depth"] for i in ids] == [0, 1, 2, 2]
        assert comments[ids[3]]["parent_id"] == ids[1]


def test_unknown_thread_is_an_empty_list(server: LiveServer) -> None:
    with server.client() as client:
        body = thread(client, "/never/commented/")
        assert body == {
            "thread": {"key": "/never/commented/", "title": "", "locked": False, "count": 0},
            "comments": [],
            "next": None,
        }


def test_etag_gives_304_until_the_thread_changes(server: LiveServer) -> None:
    with server.client() as client:
        post(client, "one")
        first = client.get("/api/v1/comments", params={"thread": "/post/"})
        etag = first.headers["etag"]
        again = client.get(
            "/api/v1/comments", params={"thread": "/post/"}, headers={"If-None-Match": etag}
        )
        assert again.status_code == 304 and again.content == b""
        post(client, "two")
        changed = client.get(
            "/api/v1/comments", params={"thread": "/post/"}, headers={"If-None-Match": etag}
        )
        assert changed.status_code == 200 and changed.headers["etag"] != etag
        assert len(changed.json()["comments"]) == 2


def varies_on(response: httpx.Response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("vary", "").split(",") if v.strip()}


def test_personal_reads_are_private_and_every_read_varies_on_the_token(
    server: LiveServer,
) -> None:
    with server.client() as client:
        token = post(client, "Mine").json()["author_token"]
        for headers in ({}, {"Origin": "http://127.0.0.1:8080"}):
            public = client.get("/api/v1/comments", params={"thread": "/post/"}, headers=headers)
            assert "x-author-token" in varies_on(public)
            assert "private" not in public.headers["cache-control"]
        personal_headers = {"X-Author-Token": token}
        personal = client.get(
            "/api/v1/comments", params={"thread": "/post/"}, headers=personal_headers
        )
        again = client.get(
            "/api/v1/comments",
            params={"thread": "/post/"},
            headers={**personal_headers, "If-None-Match": personal.headers["etag"]},
        )
        assert (personal.status_code, again.status_code) == (200, 304)
        for response in (personal, again):
            directives = {d.strip() for d in response.headers["cache-control"].split(",")}
            assert {"private", "no-cache"} <= directives
            assert "x-author-token" in varies_on(response)


def test_sort_orders(server: LiveServer) -> None:
    with server.client() as client:
        ids = [post(client, f"comment {n}").json()["comment"]["id"] for n in range(3)]
        client.post(f"/api/v1/comments/{ids[1]}/vote", json={"value": 1})
        assert [c["id"] for c in thread(client, sort="oldest")["comments"]] == ids
        assert [c["id"] for c in thread(client, sort="newest")["comments"]] == ids[::-1]
        assert next(c["id"] for c in thread(client, sort="top")["comments"]) == ids[1]
        assert_problem(
            client.get("/api/v1/comments", params={"thread": "/post/", "sort": "best"}), 400, 1001
        )


def test_author_edits_and_deletes_within_the_window(server: LiveServer) -> None:
    with server.client() as client:
        created = post(client, "tpyo").json()
        comment_id, token = created["comment"]["id"], created["author_token"]
        url = f"/api/v1/comments/{comment_id}"
        assert_problem(client.patch(url, json={"body": "hijack"}), 403, 2000)
        assert_problem(
            client.patch(url, json={"body": "x"}, headers={"X-Author-Token": "forged"}), 403, 2000
        )
        edited = client.patch(url, json={"body": "typo"}, headers={"X-Author-Token": token})
        assert edited.status_code == 200
        assert edited.json()["html"] == "<p>typo</p>" and edited.json()["edited_at"]
        assert client.delete(url, headers={"X-Author-Token": token}).status_code == 204
        assert thread(client)["comments"] == []
        assert_problem(client.delete(url, headers={"X-Author-Token": token}), 404, 1004)


def test_edits_fail_after_the_window(start_server: Callable[..., LiveServer]) -> None:
    with start_server(edit_window=0).client() as client:
        created = post(client, "too late to change").json()
        url = f"/api/v1/comments/{created['comment']['id']}"
        headers = {"X-Author-Token": created["author_token"]}
        assert_problem(client.patch(url, json={"body": "changed"}, headers=headers), 403, 2001)
        assert_problem(client.delete(url, headers=headers), 403, 2001)


def test_a_deleted_comment_with_replies_stays_as_a_tombstone(server: LiveServer) -> None:
    with server.client() as client:
        parent = post(client, "parent", name="Ann").json()
        post(client, "child", parent_id=parent["comment"]["id"])
        client.delete(
            f"/api/v1/comments/{parent['comment']['id']}",
            headers={"X-Author-Token": parent["author_token"]},
        )
        tombstone, child = thread(client)["comments"]
        assert tombstone["status"] == "deleted" and tombstone["html"] == ""
        assert tombstone["author"]["name"] is None
        assert child["parent_id"] == tombstone["id"]


def test_votes_are_one_per_voter_and_idempotent(server: LiveServer) -> None:
    with server.client() as client:
        comment_id = post(client, "vote on me").json()["comment"]["id"]
        url = f"/api/v1/comments/{comment_id}/vote"
        first = client.post(url, json={"value": 1}).json()
        assert first["id"] == comment_id and first["votes"] == 1
        voter = {"X-Author-Token": first["author_token"]}  # the voter's identity from now on
        assert client.post(url, json={"value": 1}, headers=voter).json()["votes"] == 1
        token = post(client, "another author").json()["author_token"]
        other = client.post(url, json={"value": -1}, headers={"X-Author-Token": token})
        assert other.json()["votes"] == 0
        assert_problem(client.post(url, json={"value": 2}), 400, 1001)
        assert_problem(client.post("/api/v1/comments/999/vote", json={"value": 1}), 404, 1004)


def test_counts_for_many_pages_in_one_request(server: LiveServer) -> None:
    with server.client() as client:
        post(client, "a", thread="/a/")
        post(client, "b", thread="/a/")
        post(client, "c", thread="/b/")
        response = client.get(
            "/api/v1/counts", params=[("thread", "/a/"), ("thread", "/b/"), ("thread", "/c/")]
        )
        assert response.json() == {"counts": {"/a/": 2, "/b/": 1, "/c/": 0}}


def test_the_author_sees_their_held_comment_and_nobody_else_does(
    sqlite_url: str,
) -> None:
    from parley.domain.moderation import Action, ModerationContext, Reason, Verdict
    from tests.conftest import make_settings

    class HoldQuestions:
        """A stand-in policy (not a mock of ours): holds every comment ending in '?'."""

        def assess(self, text: str, context: ModerationContext) -> Verdict:
            if text.endswith("?"):
                return Verdict(Action.HOLD, reasons=(Reason(Action.HOLD, "a question"),))
            return Verdict(Action.PUBLISH)

    live = LiveServer(make_settings(sqlite_url), HoldQuestions()).start()
    try:
        with live.client() as client:
            post(client, "A statement.")
            held = post(client, "A question?")
            assert held.status_code == 202 and held.json()["held"] is True
            token = held.json()["author_token"]
            assert [c["html"] for c in thread(client)["comments"]] == ["<p>A statement.</p>"]
            mine = client.get(
                "/api/v1/comments", params={"thread": "/post/"}, headers={"X-Author-Token": token}
            ).json()["comments"]
            assert [(c["status"], c["mine"]) for c in mine] == [
                ("published", False),
                ("pending", True),
            ]
            assert client.get("/api/v1/counts", params={"thread": "/post/"}).json() == {
                "counts": {"/post/": 1}
            }
    finally:
        live.stop()


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        (b'{"thread": "/post/", "body": ', 400, 1000),
        (b"not json at all", 400, 1000),
        (b'{"thread": "/post/"}', 400, 1001),
        (b'{"thread": "/post/", "body": 42}', 400, 1001),
        (b'{"thread": "/post/", "body": "x", "admin": true}', 400, 1001),
        (b'{"thread": "/post/", "body": "   "}', 422, 1002),
        (b'{"thread": "no-slash", "body": "x"}', 422, 1002),
        (b'{"thread": "//evil.example/", "body": "x"}', 422, 1002),
        (b'{"thread": "/\\\\evil.example/", "body": "x"}', 422, 1002),
        (b'{"thread": "/post/", "body": "x", "website": "javascript:alert(1)"}', 422, 1002),
        (b'{"thread": "/post/", "body": "x", "email": "not-an-address"}', 422, 1002),
        (b'{"thread": "/post/", "body": "x", "parent_id": 424242}', 422, 1002),
    ],
)
def test_bad_input_gets_a_problem_and_stores_nothing(
    server: LiveServer, payload: bytes, status: int, code: int
) -> None:
    with server.client() as client:
        response = client.post(
            "/api/v1/comments", content=payload, headers={"content-type": "application/json"}
        )
        assert_problem(response, status, code)
        assert thread(client)["comments"] == []


def test_thread_titles_come_from_the_site_not_the_first_poster(server: LiveServer) -> None:
    with server.client() as client:
        assert post(client, "first", thread="/new/", title="Cheap pills at evil.example").is_success
        assert post(client, "second", thread="/new/", title="Another title").is_success
        assert thread(client, "/new/")["thread"]["title"] == ""


def test_demo_pages_are_off_unless_turned_on(start_server: Callable[..., LiveServer]) -> None:
    for overrides, status in (({}, 404), ({"demo_pages": True}, 200)):
        server = start_server(**overrides)
        with server.client() as client:
            assert post(client, "first", thread="/page/").status_code == 201
            assert client.get("/").status_code == status
            assert client.get("/page/").status_code == status


def test_size_limits(server: LiveServer) -> None:
    with server.client() as client:
        limit = server.settings.max_body
        assert post(client, "x" * limit).status_code == 201
        problem = assert_problem(post(client, "x" * (limit + 1)), 422, 1002)
        assert problem["field"] == "body"
        assert_problem(post(client, "ok", name="n" * 81), 422, 1002)


def test_unknown_routes_and_comments_are_404_problems(server: LiveServer) -> None:
    with server.client() as client:
        assert_problem(client.get("/api/v1/nothing"), 404, 1004)
        assert_problem(client.patch("/api/v1/comments/77", json={"body": "x"}), 404, 1004)
        assert_problem(client.put("/api/v1/comments"), 405, 1005)


def test_writes_are_rate_limited_per_address(start_server: Callable[..., LiveServer]) -> None:
    with start_server(rate_limit=3, rate_period=3600).client() as client:
        for n in range(3):
            assert post(client, f"comment {n}").status_code == 201
        limited = post(client, "one too many")
        assert_problem(limited, 429, 2029)
        assert 0 < int(limited.headers["retry-after"]) <= 3600
        assert len(thread(client)["comments"]) == 3


def test_cors_only_for_the_sites_origins(start_server: Callable[..., LiveServer]) -> None:
    with start_server(origins=("https://blog.example",)).client() as client:
        allowed = {"Origin": "https://blog.example"}
        preflight = client.options(
            "/api/v1/comments",
            headers={
                **allowed,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type, x-author-token",
            },
        )
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == "https://blog.example"
        assert "x-author-token" in preflight.headers["access-control-allow-headers"]
        response = client.get("/api/v1/comments", params={"thread": "/p/"}, headers=allowed)
        assert response.headers["access-control-allow-origin"] == "https://blog.example"
        assert response.headers["access-control-expose-headers"] == "etag, retry-after"
        assert post(client, "from the blog").status_code == 201

        foreign = {"Origin": "https://evil.example"}
        read = client.get("/api/v1/comments", params={"thread": "/p/"}, headers=foreign)
        assert "access-control-allow-origin" not in read.headers
        write = client.post(
            "/api/v1/comments", json={"thread": "/p/", "body": "x"}, headers=foreign
        )
        assert_problem(write, 403, 2003)


def test_openapi_document_describes_the_api(server: LiveServer) -> None:
    with server.client() as client:
        schema = client.get("/api/v1/schema/openapi.json").json()
        assert schema["openapi"].startswith("3.")
        paths = schema["paths"]
        assert {"get", "post"} <= paths["/api/v1/comments"].keys()
        assert {"patch", "delete"} <= paths["/api/v1/comments/{comment_id}"].keys()
        assert "/api/v1/comments/{comment_id}/vote" in paths and "/api/v1/counts" in paths
        assert "ThreadComments" in str(schema["components"]["schemas"].keys())
        assert client.get("/api/v1/schema").status_code == 200


def test_authors_get_their_markdown_and_edit_deadline_back(server: LiveServer) -> None:
    with server.client() as client:
        created = post(client, "my **source**").json()
        assert created["comment"]["body_md"] == "my **source**"
        assert created["comment"]["edit_until"] == created["edit_until"]
        token = created["author_token"]
        (own,) = client.get(
            "/api/v1/comments", params={"thread": "/post/"}, headers={"X-Author-Token": token}
        ).json()["comments"]
        assert own["body_md"] == "my **source**" and own["edit_until"] == created["edit_until"]
        (anonymous,) = thread(client)["comments"]
        assert "body_md" not in anonymous and "edit_until" not in anonymous
        assert anonymous["mine"] is False


def test_preview_renders_like_a_posted_comment(server: LiveServer) -> None:
    with server.client() as client:
        response = client.post("/api/v1/preview", json={"body": "*hi* <script>x</script>"})
        assert response.json() == {"html": "<p><em>hi</em> &lt;script&gt;x&lt;/script&gt;</p>"}
        assert thread(client)["comments"] == []


def test_a_cached_read_answers_exactly_like_the_first(
    start_server: Callable[..., LiveServer],
) -> None:
    with start_server(origins=("https://blog.example",)).client() as client:
        post(client, "cache me")
        origin = {"Origin": "https://blog.example"}
        params = {"thread": "/post/", "sort": "newest"}
        first, second = (
            client.get("/api/v1/comments", params=params, headers=origin) for _ in range(2)
        )
        assert second.content == first.content
        for header in ("etag", "content-type", "cache-control", "access-control-allow-origin"):
            assert second.headers[header] == first.headers[header]
        revalidated = client.get(
            "/api/v1/comments",
            params=params,
            headers={**origin, "If-None-Match": first.headers["etag"]},
        )
        assert revalidated.status_code == 304 and revalidated.content == b""
        assert revalidated.headers["access-control-allow-origin"] == "https://blog.example"
        other_order = client.get("/api/v1/comments", params={"thread": "/post/"})
        assert other_order.status_code == 200
        assert_problem(client.get("/api/v1/comments", params={"thread": ""}), 400, 1001)
