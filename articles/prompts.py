"""What the model is asked: the two prompts, the specification budget, the re-ask."""
from dataclasses import dataclass
from decimal import Decimal

# Characters of specification text put into a prompt (about 3,000 tokens of English). The
# first analysis service sent 4,000; weights and materials usually sit in the first pages,
# and a bigger budget raises every analysis's cost. Text beyond it is cut and the cut is noted on the article.
SPEC_PROMPT_BUDGET = 12_000


@dataclass(frozen=True)
class PromptText:
    text: str
    total_chars: int

    @property
    def cut(self) -> bool:
        return self.total_chars > len(self.text)

    def note(self) -> str:
        return (f"specification cut to the first {len(self.text):,} of {self.total_chars:,} "
                f"characters (prompt budget {SPEC_PROMPT_BUDGET:,})")


def spec_for_prompt(text: str, budget: int = SPEC_PROMPT_BUDGET) -> PromptText:
    """Return the part of the specification that fits the prompt budget."""
    text = text.strip()
    return PromptText(text=text[:budget], total_chars=len(text))


WEIGHT_SYSTEM = (
    "You read product specifications and report the weight of one unit of the product. "
    'Answer with one JSON object: {"unit_weight": <number or null>, "unit": "g"}. Give the '
    "weight in grams, converting from any unit the specification uses (kg, t, lb, oz, ...). "
    "If several weights are given, prefer the net weight of one unit. If the specification "
    "states no weight, answer {\"unit_weight\": null, \"unit\": \"g\"}. Do not guess."
)

COST_MODEL_SYSTEM = (
    "You are a cost engineer. Split the manufacturing cost of a product over cost indices "
    "from a fixed catalogue. Answer with one JSON object: "
    '{"cost_model": [{"index_id": <id from the catalogue>, "part": <percent>}, ...]}. '
    "Use only ids from the catalogue, each at most once; every part is a percentage > 0; "
    "the parts add up to 100. Leave out indices that do not apply."
)


def _spec_block(spec: PromptText) -> str:
    block = spec.text
    if spec.cut:
        block += f"\n[... {spec.total_chars - len(spec.text):,} more characters not shown]"
    return block


def weight_messages(spec: PromptText) -> list[dict]:
    return [
        {"role": "system", "content": WEIGHT_SYSTEM},
        {"role": "user", "content": f"Product specification:\n\n{_spec_block(spec)}"},
    ]


def cost_model_messages(*, article_name: str, description: str | None,
                        unit_weight_kg: Decimal | None, spec: PromptText,
                        indices: list[dict]) -> list[dict]:
    catalogue = "\n".join(
        f"- id {index['id']}: {index['name']} ({index['unit']}){': ' + index['description'] if index['description'] else ''}"
        for index in indices
    )
    weight = f"{unit_weight_kg.normalize():f} kg" if unit_weight_kg is not None else "unknown"
    return [
        {"role": "system", "content": COST_MODEL_SYSTEM},
        {"role": "user", "content": (
            f"Cost index catalogue:\n{catalogue}\n\n"
            f"Article: {article_name}\nDescription: {description or '-'}\n"
            f"Unit weight: {weight}\n\nProduct specification:\n\n{_spec_block(spec)}"
        )},
    ]


def reask_messages(messages: list[dict], *, answer: str | None, reason: str) -> list[dict]:
    """The same question again, with the rejected answer and why it was rejected."""
    return [
        *messages,
        {"role": "assistant", "content": answer or ""},
        {"role": "user", "content": f"That answer was rejected: {reason}. Answer again with "
                                    "one corrected JSON object only."},
    ]
