"""README.md is `nbs/index.ipynb` (nbdev-readme needs Quarto, which CI lacks, so both are edited together): this test
fails when one of them changes without the other."""
import json, re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def _norm(s:str) -> str: return ' '.join(s.split())

def _cells() -> list:
    "The sources of the notebook's shown cells (no hidden or directive-only code cells)."
    nb = json.loads((ROOT/'nbs'/'index.ipynb').read_text())
    return [''.join(c['source']) for c in nb['cells'] if not (c['cell_type'] == 'code' and ''.join(c['source']).lstrip().startswith('#|'))]

def test_every_notebook_cell_is_in_the_readme():
    readme = _norm((ROOT/'README.md').read_text())
    for src in _cells(): assert _norm(src) in readme, f"nbs/index.ipynb cell not in README.md: {src[:120]!r}"

def test_every_readme_paragraph_is_in_the_notebook():
    nb = _norm('\n'.join(_cells()))
    for block in (ROOT/'README.md').read_text().split('\n\n'):
        text = _norm('\n'.join(l for l in block.splitlines() if not l.startswith('```')))   # a code cell's fences are the README's
        if text: assert text in nb, f"README.md paragraph not in nbs/index.ipynb: {text[:120]!r}"

def _repository() -> str:
    "The repository's URL, from its one source: pyproject.toml's [project.urls] Repository."
    try: import tomllib
    except ImportError: import tomli as tomllib   # Python 3.10 (nbdev needs it there too)
    return tomllib.loads((ROOT/'pyproject.toml').read_text())['project']['urls']['Repository'].rstrip('/')

def _code_lines(text:str) -> list:
    "The lines inside the ```sh fences of a markdown text."
    return [l.strip() for block in text.split('```sh')[1:] for l in block.split('```')[0].strip().splitlines()]

def test_install_commands_name_the_repository():
    "The Quick start installs from, and clones, pyproject.toml's Repository URL; CITATION.cff names it too."
    repo, readme = _repository(), (ROOT/'README.md').read_text()
    lines = _code_lines(readme)
    assert f'pip install "medfast @ git+{repo}" && medfast demo' in lines, lines
    assert f'git clone {repo} && cd {repo.rsplit("/", 1)[1]}' in lines, lines
    assert f'repository-code: "{repo}"' in (ROOT/'CITATION.cff').read_text()
    for url in re.findall(r'https://github\.com/[\w.-]+/[\w.-]+', readme): assert url == repo, url

def test_ci_runs_the_readme_command():
    "`.ci/run` runs the development command of the Quick start, exactly as a user types it."
    cmd = [l for l in (ROOT/'.ci'/'run').read_text().splitlines() if l.strip() and not l.startswith(('#', 'set ', 'cd '))]
    assert len(cmd) == 1 and cmd[0] in _code_lines((ROOT/'README.md').read_text()), cmd

def test_workflows():
    "The GitHub workflows are valid YAML; CI runs `.ci/run`, the release publishes to PyPI by trusted publishing."
    import yaml
    wf = {p.name: yaml.safe_load(p.read_text()) for p in (ROOT/'.github'/'workflows').glob('*.yaml')}
    assert set(wf) == {'test.yaml', 'deploy.yaml', 'release.yaml'}, set(wf)
    steps = lambda name: [s for job in wf[name]['jobs'].values() for s in job['steps']]
    assert any(s.get('run') == 'bash .ci/run' for s in steps('test.yaml'))
    assert any(s.get('uses', '').startswith('AnswerDotAI/workflows/quarto-ghp3@') for s in steps('deploy.yaml'))
    pub = wf['release.yaml']['jobs']['publish']
    assert pub['permissions']['id-token'] == 'write' and steps('release.yaml')[-1]['uses'].startswith('pypa/gh-action-pypi-publish@')
