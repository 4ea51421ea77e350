"""Publish an exported release to the Hugging Face Hub: one commit with the export, then a ``vX.Y.Z`` tag.

Uses :class:`huggingface_hub.HfApi` (``create_repo`` with ``exist_ok``, ``upload_folder``, ``create_tag``); the
endpoint comes from ``HF_ENDPOINT`` (tests point it at a local fake Hub) and the token from ``HF_TOKEN`` or the
token store. The export is verified against its release before anything is sent.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExportError, InputError
from ..redact import redact_url
from .export import release_manifest_of_export
from .versions import normalise_version

_REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")


@dataclass(frozen=True)
class PublishResult:
    """What was pushed: repository, tag and commit."""

    repo: str
    tag: str
    commit: str | None
    url: str | None


def publish_export(
    export_dir: str | Path,
    version: str,
    repo: str,
    *,
    token: str | None = None,
    private: bool = False,
    endpoint: str | None = None,
) -> PublishResult:
    """Push ``export_dir`` (an export of ``version``) to the dataset repo ``repo`` and tag it ``v<version>``."""
    from huggingface_hub import HfApi
    from huggingface_hub import errors as hub_errors
    from huggingface_hub.errors import HfHubHTTPError

    # The root error of the HTTP client this huggingface_hub uses (httpx2 in 2.x; requests' errors are OSErrors).
    transport_error: type[Exception] = getattr(hub_errors, "HTTPError", OSError)

    if not _REPO_RE.match(repo):
        raise InputError(f"{repo!r} is not a Hub repository id ORG/NAME", where="--repo")
    v = normalise_version(version)
    path = Path(export_dir)
    info = release_manifest_of_export(path)
    if info.version != v:
        raise ExportError(f"{path} is an export of version {info.version}, not {v}",
                          hint=f"run `annotate export {v}` first")
    tag = f"v{v}"
    api = HfApi(endpoint=endpoint or os.environ.get("HF_ENDPOINT") or None, token=token)
    try:
        api.create_repo(repo, repo_type="dataset", private=private, exist_ok=True)
        commit = api.upload_folder(
            repo_id=repo,
            folder_path=str(path),
            repo_type="dataset",
            commit_message=f"Release {tag}",
            commit_description=f"version sha256 {info.version_sha256}",
        )
        oid = getattr(commit, "oid", None)
        api.create_tag(repo, tag=tag, tag_message=f"Release {tag}", revision=oid, repo_type="dataset")
    except HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "?"
        raise ExportError(f"the Hub refused the publication of {tag} to {repo} (HTTP {status}): {exc}",
                          hint="check HF_TOKEN and that the tag does not exist yet") from None
    except (OSError, transport_error) as exc:
        where = endpoint or os.environ.get("HF_ENDPOINT") or "https://huggingface.co"
        raise ExportError(f"cannot reach the Hub at {redact_url(where)} to publish {repo}: {exc}",
                          hint="check the network connection (and HF_ENDPOINT), then publish again; "
                          "nothing was tagged") from None
    return PublishResult(repo=repo, tag=tag, commit=oid, url=getattr(commit, "commit_url", None))
