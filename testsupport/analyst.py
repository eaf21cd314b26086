"""A scripted "model" for the OpenAI test server: answers TaskLedger's two questions.

It reads the prompt the way a model would be expected to: the weight question gets the
specification's stated weight in grams; the cost-model question gets shares over the ids
listed in the catalogue. Tests replace single answers through `Script`.

Standalone (manual testing, benchmarks):

    python -m testsupport.analyst --port 8765 --latency 0.2
"""
import json
import re
from collections import deque

from articles.offline import weight_answer
from articles.prompts import COST_MODEL_SYSTEM, WEIGHT_SYSTEM
from articles.weights import weight_to_kg
from testsupport.openai_server import OpenAITestServer, main

CATALOGUE_ID = re.compile(r"^- id (\d+):", re.MULTILINE)
SHARES = (55, 25, 12, 8)


def question_of(body: dict) -> str:
    system = body["messages"][0]["content"]
    if system == WEIGHT_SYSTEM:
        return "weight"
    if system == COST_MODEL_SYSTEM:
        return "cost_model"
    return "other"


def weight_reply(body: dict) -> str:
    stated = json.loads(weight_answer(body["messages"][1]["content"]))
    if stated["unit_weight"] is None:
        return json.dumps({"unit_weight": None, "unit": "g"})
    try:
        grams = weight_to_kg(stated["unit_weight"], stated["unit"]) * 1000
    except ValueError:  # a weight no model would report (0 g): none found
        return json.dumps({"unit_weight": None, "unit": "g"})
    return json.dumps({"unit_weight": float(grams), "unit": "g"})


def cost_model_reply(body: dict) -> str:
    ids = [int(found) for found in CATALOGUE_ID.findall(body["messages"][1]["content"])]
    lines = [{"index_id": index_id, "part": share} for index_id, share in zip(ids, SHARES)]
    return json.dumps({"cost_model": lines})


class Cut(str):
    """A queued answer the server reports as cut off at the token limit (finish_reason=length)."""


class Script:
    """Answers both questions; queued answers (strings or callables) replace the next ones."""

    def __init__(self):
        self.queued = {"weight": deque(), "cost_model": deque()}
        self.asked = {"weight": 0, "cost_model": 0, "other": 0}
        self.last_cut = False

    def queue(self, question: str, *answers) -> None:
        self.queued[question].extend(answers)

    def __call__(self, body: dict) -> str:
        question = question_of(body)
        self.asked[question] += 1
        self.last_cut = False
        if question != "other" and self.queued[question]:
            answer = self.queued[question].popleft()
            self.last_cut = isinstance(answer, Cut)
            return answer(body) if callable(answer) else str(answer)
        if question == "weight":
            return weight_reply(body)
        if question == "cost_model":
            return cost_model_reply(body)
        return json.dumps({"echo": body["messages"][-1]["content"][:80]})


class AnalystServer(OpenAITestServer):
    def _chat(self, body: dict, *, junk: bool) -> dict:
        payload = super()._chat(body, junk=junk)
        if getattr(self.chat_answer, "last_cut", False):
            payload["choices"][0]["finish_reason"] = "length"
        return payload


def analyst_server(*, host="127.0.0.1", port=0, latency=0.0) -> OpenAITestServer:
    server = AnalystServer(host=host, port=port, latency=latency)
    server.chat_answer = Script()
    return server


if __name__ == "__main__":
    main(analyst_server, "OpenAI test server (article analyst)")
