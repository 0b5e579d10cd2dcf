"""Write the generated pages of the documentation site into ``docs/gen/``.

- ``docs/gen/cli.md``: every command of the ``jingwang`` Typer app, with its options.
- ``docs/gen/api.md``: every operation and schema of the API's OpenAPI document.
- ``docs/gen/openapi.json``: the document itself.

Run ``python scripts/gen_docs.py [OUT_DIR]``; ``mkdocs build`` runs it too, as a hook
(``hooks:`` in mkdocs.yml). Files are rewritten only when their content changes, so that
``mkdocs serve`` does not rebuild forever. The pages are build output: not committed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "gen"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


# --- CLI ------------------------------------------------------------------------------


# Typer ships its own copy of Click, so commands and parameters are read by duck typing.
def _subcommands(command: Any) -> dict[str, Any]:
    found: dict[str, Any] = getattr(command, "commands", None) or {}
    return {name: sub for name, sub in found.items() if not getattr(sub, "hidden", False)}


def _commands(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    subs = _subcommands(command)
    for name in sorted(subs):
        yield from _commands(subs[name], (*path, name))


def _param_type(param: Any) -> str:
    if param.param_type_name == "option" and getattr(param, "is_flag", False):
        return "flag"
    click_type = getattr(param, "type", None)
    if click_type is not None:
        return str(getattr(click_type, "name", click_type))
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    return str(getattr(annotation, "__name__", annotation or "text")).replace("typing.", "")


def _param_row(param: Any) -> str:
    if param.param_type_name == "option":
        names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
        shown = param.default if param.show_default is not False else None
        default = "" if shown in (None, (), False) or callable(shown) else f"`{shown}`"
        help_text = param.help or ""
        required = "yes" if param.required else ""
    else:
        names = f"`{param.metavar or (param.name or '').upper()}`"
        default = ""
        help_text = getattr(param, "help", None) or ""
        required = "yes" if param.required else ""
    return (
        f"| {names} | {_cell(_param_type(param))} | {required} | {default} | {_cell(help_text)} |"
    )


def cli_markdown() -> str:
    import typer.main  # noqa: PLC0415 - the app is only needed here

    from jingwang.cli.main import app  # noqa: PLC0415

    root = typer.main.get_command(app)
    lines = [
        "# CLI reference",
        "",
        "Generated from the `jingwang` Typer app by `scripts/gen_docs.py`; "
        "[the CLI overview](../cli.md) groups the commands by task.",
        "",
    ]
    for path, command in _commands(root, ("jingwang",)):
        name = " ".join(path)
        ctx = command.context_class(command, info_name=name)
        lines += [f"## `{name}`", ""]
        if command.help:
            lines += [command.help.strip(), ""]
        lines += ["```text", command.get_usage(ctx), "```", ""]
        params = [p for p in command.params if p.name != "help" and not getattr(p, "hidden", False)]
        if params:
            lines += [
                "| parameter | type | required | default | meaning |",
                "|---|---|---|---|---|",
                *(_param_row(p) for p in params),
                "",
            ]
        subs = sorted(_subcommands(command))
        if subs:
            lines += ["Commands: " + ", ".join(f"`{name} {s}`" for s in subs), ""]
    return "\n".join(lines)


# --- API ------------------------------------------------------------------------------


def openapi_document() -> dict[str, Any]:
    from jingwang.api import create_app  # noqa: PLC0415
    from jingwang.settings import Settings  # noqa: PLC0415

    document: dict[str, Any] = create_app(Settings(mode="dev")).openapi()
    return document


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in schema:
        return " or ".join(_type_of(option) for option in schema["anyOf"])
    if "enum" in schema:
        return " \\| ".join(f"`{v}`" for v in schema["enum"])
    if schema.get("type") == "array":
        return f"list of {_type_of(schema.get('items', {}))}"
    kind = str(schema.get("type", "any"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _operation(method: str, path: str, op: dict[str, Any]) -> list[str]:
    lines = [f"### `{method.upper()} {path}`", ""]
    if op.get("summary"):
        lines += [f"**{op['summary']}**", ""]
    if op.get("description"):
        lines += [op["description"].strip(), ""]
    params = op.get("parameters", [])
    if params:
        lines += ["| parameter | in | type | required | meaning |", "|---|---|---|---|---|"]
        for p in params:
            required = "yes" if p.get("required") else ""
            description = _cell(p.get("description", ""))
            lines.append(
                f"| `{p['name']}` | {p['in']} | {_type_of(p.get('schema', {}))} "
                f"| {required} | {description} |"
            )
        lines.append("")
    body = op.get("requestBody", {}).get("content", {}).get("application/json")
    if body:
        lines += [f"Request body: {_type_of(body['schema'])}", ""]
    lines += ["| status | meaning | body |", "|---|---|---|"]
    for status, response in op.get("responses", {}).items():
        content = response.get("content", {})
        schema = content.get("application/json", {}).get("schema")
        shape = _type_of(schema) if schema else ", ".join(f"`{t}`" for t in content)
        lines.append(f"| {status} | {_cell(response.get('description', ''))} | {shape} |")
    return [*lines, ""]


def api_markdown(document: dict[str, Any]) -> str:
    lines = [
        "# API reference",
        "",
        f"Generated from the OpenAPI document of jingwang {document['info']['version']} "
        "by `scripts/gen_docs.py` ([openapi.json](openapi.json)); "
        "[the API overview](../api.md) explains authentication, roles and errors.",
        "",
    ]
    by_tag: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                tag = (item[method].get("tags") or ["other"])[0]
                by_tag.setdefault(tag, []).append((method, path, item[method]))
    for tag, operations in by_tag.items():
        lines += [f"## {tag}", ""]
        for method, path, op in operations:
            lines += _operation(method, path, op)
    lines += ["## Schemas", ""]
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        lines += [f"### {name}", ""]
        if schema.get("description"):
            lines += [schema["description"].strip(), ""]
        properties = schema.get("properties", {})
        if "enum" in schema:
            lines += ["One of " + ", ".join(f"`{v}`" for v in schema["enum"]) + ".", ""]
        if properties:
            required = set(schema.get("required", []))
            lines += ["| field | type | required | meaning |", "|---|---|---|---|"]
            for field, spec in properties.items():
                flag = "yes" if field in required else ""
                lines.append(
                    f"| `{field}` | {_type_of(spec)} | {flag} | "
                    f"{_cell(spec.get('description', ''))} |"
                )
            lines.append("")
    return "\n".join(lines)


# --- writing --------------------------------------------------------------------------


def _write(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def generate(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    """Write the pages; return those whose content changed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    document = openapi_document()
    pages = {
        "cli.md": cli_markdown() + "\n",
        "api.md": api_markdown(document) + "\n",
        "openapi.json": json.dumps(document, ensure_ascii=False, indent=2) + "\n",
    }
    return [out_dir / name for name, text in pages.items() if _write(out_dir / name, text)]


def on_pre_build(config: Any) -> None:
    """The MkDocs hook: generate into ``<docs_dir>/gen`` before every build."""
    generate(Path(config["docs_dir"]) / "gen")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    for changed in generate(target):
        print(f"wrote {changed}")
