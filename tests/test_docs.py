"""The links of README.md and of the notebooks' prose lead somewhere: every docs page they name is a notebook (nbdev
names a page after its notebook, without the number: nbs/01_data.ipynb -> data.html, nbs/tutorials/retina.ipynb ->
tutorials/retina.html, a folder -> its index.ipynb), every in-page link names a heading of its page, and every
Colab or GitHub link names a file of this repository. Rendering the pages needs Quarto, which CI lacks; tests/run.sh
runs the docs build's step before it, nbdev-proc-nbs."""
import ast, json, posixpath, re
from pathlib import Path, PurePosixPath
from importlib import import_module
from urllib.parse import urlsplit
from nbdev.config import get_config

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'
CFG = get_config(ROOT)   # pyproject.toml: [project.urls] and [tool.nbdev]
DOCS = CFG.doc_host.rstrip('/') + '/' + CFG.doc_baseurl.strip('/') + '/'           # https://medfast.github.io/medfast/
REPO = CFG.git_url.rstrip('/')                                                    # https://github.com/medfast/medfast
COLAB = 'https://colab.research.google.com/github/' + REPO.split('github.com/', 1)[1]
_LINK = re.compile(r'\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|href="([^"]+)"')

def page_notebook(page:str) -> Path:
    "The notebook of a docs page, a path below the docs root ('data.html', 'tutorials/', '') (it may not exist)."
    p = PurePosixPath(page)
    if not page or page.endswith('/'): p = p/'index.html'
    name = re.sub(r'\.(html|ipynb)$', '', p.name)
    hits = [f for f in (NBS/p.parent).glob('*.ipynb') if re.sub(r'^\d+_', '', f.stem) == name]
    return hits[0] if hits else NBS/p.parent/f'{name}.ipynb'

def _slug(heading:str) -> str:
    "Quarto's (and GitHub's) anchor of a heading: lower case, punctuation dropped, spaces as hyphens."
    return re.sub(r'\s', '-', re.sub(r'[^\w\s-]', '', heading.strip().lower()))

def _markdown(nb:Path) -> str: return '\n'.join(''.join(c['source']) for c in json.loads(nb.read_text())['cells']
                                                if c['cell_type'] == 'markdown')

def anchors(nb:Path) -> set:
    "The anchors of a notebook's page: its headings, and the names `show_doc` documents (the module's symbols)."
    heads = {_slug(h) for h in re.findall(r'^#{1,6}\s+(.+?)\s*$', _markdown(nb), re.M)}
    mod = re.search(r'#\|\s*default_exp\s+(\S+)', nb.read_text())
    if not mod: return heads
    syms = import_module(f'{CFG.lib_name}._modidx').d['syms'].get(f'{CFG.lib_name}.{mod.group(1)}', {})
    return heads | {k.split('.', 1)[1].lower() for k in syms}

def link_problems(text:str, src:Path) -> list:
    "What is wrong with each link of `text` (markdown from the file or notebook `src`): one line per broken link."
    here = src.parent.relative_to(NBS) if src.is_relative_to(NBS) else PurePosixPath()   # a notebook's page folder
    out = []
    for a, b in _LINK.findall(text):
        url = a or b; u = urlsplit(url)
        if url.startswith(DOCS): page = url[len(DOCS):].split('#')[0]
        elif url.startswith((COLAB + '/blob/', REPO + '/blob/', REPO + '/tree/')):
            path = re.search(r'/(?:blob|tree)/[^/]+/(.*)', u.path).group(1)                   # after blob/BRANCH/
            if not (ROOT/path).exists(): out.append(f'{src.name}: {url} names {path}, which is not in the repository')
            continue
        elif u.scheme or u.netloc or url.startswith('mailto:'): continue                   # another site
        elif url.startswith('#'):
            nb = src if src.suffix == '.ipynb' else NBS/'index.ipynb'                      # README.md is index.ipynb
            if u.fragment not in anchors(nb): out.append(f'{src.name}: {url} is no heading of {nb.name}')
            continue
        else: page = (here/u.path).as_posix() if u.path else ''
        page = posixpath.normpath(page) if page else ''
        if page == '.': page = ''
        if url.split('#')[0].endswith('/') and page: page += '/'
        nb = page_notebook(page)
        if not nb.exists(): out.append(f'{src.name}: {url} is the page of {nb.relative_to(ROOT)}, which does not exist')
        elif u.fragment and u.fragment.lower() not in anchors(nb):
            out.append(f'{src.name}: {url}: #{u.fragment} is no heading or documented name of {nb.relative_to(ROOT)}')
    return out

def test_page_notebook():
    assert page_notebook('data.html') == NBS/'01_data.ipynb'
    assert page_notebook('tutorials/retina.html') == NBS/'tutorials'/'retina.ipynb'
    assert page_notebook('tutorials/') == NBS/'tutorials'/'index.ipynb'
    assert page_notebook('') == NBS/'index.ipynb'

def test_a_broken_link_is_found():
    "The check finds what it should: a missing page, a missing heading, a notebook that is not in the repository."
    readme = ROOT/'README.md'
    assert link_problems(f'[x]({DOCS}tutorials/retina.html) [y](#speed) [z]({DOCS})', readme) == []
    bad = link_problems(f'[x]({DOCS}tutorials/retinal.html) [y](#sped) [z]({COLAB}/blob/main/nbs/none.ipynb) '
                        f'[w](../dta.html)', NBS/'tutorials'/'retina.ipynb')
    assert len(bad) == 4, bad
    assert 'tutorials/retinal.ipynb, which does not exist' in bad[0] and 'nbs/dta' not in bad[0]
    assert '#sped is no heading of retina.ipynb' in bad[1] and 'nbs/none.ipynb' in bad[2]
    assert 'nbs/dta.ipynb, which does not exist' in bad[3]

def test_readme_and_notebook_links():
    sources = [(ROOT/'README.md', (ROOT/'README.md').read_text())]
    sources += [(nb, _markdown(nb)) for nb in sorted(NBS.rglob('*.ipynb')) if '.ipynb_checkpoints' not in nb.parts]
    problems = [p for src, text in sources for p in link_problems(text, src)]
    assert not problems, 'broken links:\n' + '\n'.join(problems)

def mixed_import_cells(nb:dict) -> list:
    """Indices of the code cells that nbdev's docs build would run out of order: it runs every cell holding an import
    (besides exported and show_doc cells) without the cells before it, so other code in such a cell fails or works."""
    out = []
    for i, c in enumerate(nb['cells']):
        s = ''.join(c['source'])
        if c['cell_type'] != 'code' or 'nbdev_export()' in s or re.search(r'^#\|\s*(export\w*|exec_doc)\b', s, re.M) \
           or re.search(r'^#\|\s*eval:\s*false', s, re.M | re.I): continue
        tree = ast.parse('\n'.join(l for l in s.splitlines() if not l.lstrip().startswith(('!', '%'))))
        imp = lambda n: isinstance(n, (ast.Import, ast.ImportFrom))
        if any(imp(n) for n in ast.walk(tree)) and not all(imp(n) for n in tree.body): out.append(i)
    return out

def test_imports_in_cells_of_their_own():
    bad = {str(nb.relative_to(ROOT)): mixed_import_cells(json.loads(nb.read_text())) for nb in sorted(NBS.rglob('*.ipynb'))
           if '.ipynb_checkpoints' not in nb.parts}
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, f"cells (by index) mixing an import with other code, which the docs build runs alone: {bad}"
    assert mixed_import_cells({'cells': [{'cell_type': 'code', 'source': ['import os\n', 'x = os.sep']}]}) == [0]
