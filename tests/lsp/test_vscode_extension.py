"""The VS Code extension packs into a `.vsix` that starts the language server: built the way
docs/editors.md says (npm install, then `@vscode/vsce` from the npm registry), in a copy of
`editors/vscode`. Marked `vsix` (it needs Node.js and the npm registry); `.ci/run` runs it."""

import json
import shutil
import subprocess
import zipfile

import pytest

from conftest import ROOT

pytestmark = pytest.mark.vsix
EXTENSION = ROOT / "editors" / "vscode"


def npm(*args, cwd):
    return subprocess.run(["npm", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          timeout=600)


def test_the_extension_packs_with_its_language_client(tmp_path):
    if shutil.which("npm") is None:
        pytest.fail("the vsix test needs Node.js and npm")
    folder = tmp_path / "vscode"
    shutil.copytree(EXTENSION, folder, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
    subprocess.run(["node", "--check", "extension.js"], cwd=folder, check=True)
    npm("install", "--omit=dev", "--no-audit", "--no-fund", cwd=folder)
    vsix = tmp_path / "policylang.vsix"
    subprocess.run(["npx", "-y", "@vscode/vsce@3", "package", "--allow-missing-repository",
                    "--skip-license", "-o", str(vsix)], cwd=folder, check=True,
                   capture_output=True, text=True, timeout=600)
    names = zipfile.ZipFile(vsix).namelist()
    manifest = json.loads(zipfile.ZipFile(vsix).read("extension/package.json"))
    assert manifest["main"] == "./extension.js" and "extension/extension.js" in names
    assert manifest["activationEvents"] == ["onLanguage:policylang"]
    assert any(n.startswith("extension/node_modules/vscode-languageclient/node") for n in names)
    assert "extension/syntaxes/policylang.tmLanguage.json" in names
    settings = manifest["contributes"]["configuration"]["properties"]
    assert settings["policylang.server.args"]["default"] == ["lsp"]
