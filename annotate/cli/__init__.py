"""The ``annotate`` command line: parse arguments, call an ``annotate`` function, print the result.

Every command lives in a module of this package named for its group; this module registers them on the root
group defined in :mod:`annotate.cli.base`, where :class:`annotate.errors.AnnotateError` becomes a
``click.ClickException``, once.
"""

from __future__ import annotations

from . import curation as _curation
from . import dates as _dates
from . import demo as _demo
from . import docs as _docs
from . import dump as _dump
from . import importing as _importing
from . import labelstudio as _labelstudio
from . import prelabel as _prelabel
from . import project as _project
from . import releases as _releases
from . import review as _review
from . import schemas as _schemas
from . import serve as _serve
from . import users as _users
from .base import cli, project_dir

cli.add_command(_dates.dates)
cli.add_command(_schemas.schemas)
cli.add_command(_project.init)
cli.add_command(_importing.import_)
cli.add_command(_docs.docs)
cli.add_command(_dump.dump)
cli.add_command(_dump.restore)
cli.add_command(_prelabel.prelabel_cmd)
cli.add_command(_demo.demo)
cli.add_command(_labelstudio.ls)
cli.add_command(_serve.serve)
cli.add_command(_users.users)
cli.add_command(_curation.assign)
cli.add_command(_curation.agreement)
cli.add_command(_curation.adjudicate)
cli.add_command(_curation.gold)
cli.add_command(_review.comments)
cli.add_command(_review.return_cmd)
cli.add_command(_releases.release)
cli.add_command(_releases.export)
cli.add_command(_releases.publish)
cli.add_command(_releases.eval_cmd)

__all__ = ["cli", "project_dir"]
