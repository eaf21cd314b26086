from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.analyze_create_dry_run import AnalyzeCreateDryRun
from ...models.analyze_request import AnalyzeRequest
from ...models.article_created import ArticleCreated
from ...models.budget_exceeded import BudgetExceeded
from ...models.error import Error
from ...models.estimate import Estimate
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: AnalyzeRequest,
    dry_run: AnalyzeCreateDryRun | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    params: dict[str, Any] = {}

    json_dry_run: str | Unset = UNSET
    if not isinstance(dry_run, Unset):
        json_dry_run = dry_run.value

    params["dry_run"] = json_dry_run


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/analyze/",
        "params": params,
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ArticleCreated | BudgetExceeded | Error | Estimate | None:
    if response.status_code == 200:
        response_200 = Estimate.from_dict(response.json())



        return response_200

    if response.status_code == 201:
        response_201 = ArticleCreated.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())



        return response_401

    if response.status_code == 402:
        response_402 = BudgetExceeded.from_dict(response.json())



        return response_402

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())



        return response_404

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())



        return response_415

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ArticleCreated | BudgetExceeded | Error | Estimate]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AnalyzeRequest,
    dry_run: AnalyzeCreateDryRun | Unset = UNSET,

) -> Response[ArticleCreated | BudgetExceeded | Error | Estimate]:
    """  POST /analyze: store the article and its files, queue the analysis, 201.

    The form and the answer are the analysis clients' (docs/api.md, Client contract).

    Args:
        dry_run (AnalyzeCreateDryRun | Unset):
        body (AnalyzeRequest): The analyze multipart form, plus the entity to bill and a cache
            bypass.

            The form's fields are the analysis clients' (docs/api.md, Client contract).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArticleCreated | BudgetExceeded | Error | Estimate]
     """


    kwargs = _get_kwargs(
        body=body,
dry_run=dry_run,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: AnalyzeRequest,
    dry_run: AnalyzeCreateDryRun | Unset = UNSET,

) -> ArticleCreated | BudgetExceeded | Error | Estimate | None:
    """  POST /analyze: store the article and its files, queue the analysis, 201.

    The form and the answer are the analysis clients' (docs/api.md, Client contract).

    Args:
        dry_run (AnalyzeCreateDryRun | Unset):
        body (AnalyzeRequest): The analyze multipart form, plus the entity to bill and a cache
            bypass.

            The form's fields are the analysis clients' (docs/api.md, Client contract).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArticleCreated | BudgetExceeded | Error | Estimate
     """


    return sync_detailed(
        client=client,
body=body,
dry_run=dry_run,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AnalyzeRequest,
    dry_run: AnalyzeCreateDryRun | Unset = UNSET,

) -> Response[ArticleCreated | BudgetExceeded | Error | Estimate]:
    """  POST /analyze: store the article and its files, queue the analysis, 201.

    The form and the answer are the analysis clients' (docs/api.md, Client contract).

    Args:
        dry_run (AnalyzeCreateDryRun | Unset):
        body (AnalyzeRequest): The analyze multipart form, plus the entity to bill and a cache
            bypass.

            The form's fields are the analysis clients' (docs/api.md, Client contract).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArticleCreated | BudgetExceeded | Error | Estimate]
     """


    kwargs = _get_kwargs(
        body=body,
dry_run=dry_run,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AnalyzeRequest,
    dry_run: AnalyzeCreateDryRun | Unset = UNSET,

) -> ArticleCreated | BudgetExceeded | Error | Estimate | None:
    """  POST /analyze: store the article and its files, queue the analysis, 201.

    The form and the answer are the analysis clients' (docs/api.md, Client contract).

    Args:
        dry_run (AnalyzeCreateDryRun | Unset):
        body (AnalyzeRequest): The analyze multipart form, plus the entity to bill and a cache
            bypass.

            The form's fields are the analysis clients' (docs/api.md, Client contract).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArticleCreated | BudgetExceeded | Error | Estimate
     """


    return (await asyncio_detailed(
        client=client,
body=body,
dry_run=dry_run,

    )).parsed
