from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.article_created import ArticleCreated
from ...models.articles_reanalyze_create_dry_run import ArticlesReanalyzeCreateDryRun
from ...models.budget_exceeded import BudgetExceeded
from ...models.error import Error
from ...models.estimate import Estimate
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    id: str,
    *,
    dry_run: ArticlesReanalyzeCreateDryRun | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_dry_run: str | Unset = UNSET
    if not isinstance(dry_run, Unset):
        json_dry_run = dry_run.value

    params["dry_run"] = json_dry_run


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/articles/{id}/reanalyze/".format(id=quote(str(id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ArticleCreated | BudgetExceeded | Error | Estimate | None:
    if response.status_code == 200:
        response_200 = Estimate.from_dict(response.json())



        return response_200

    if response.status_code == 202:
        response_202 = ArticleCreated.from_dict(response.json())



        return response_202

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())



        return response_401

    if response.status_code == 402:
        response_402 = BudgetExceeded.from_dict(response.json())



        return response_402

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())



        return response_409

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
    id: str,
    *,
    client: AuthenticatedClient,
    dry_run: ArticlesReanalyzeCreateDryRun | Unset = UNSET,

) -> Response[ArticleCreated | BudgetExceeded | Error | Estimate]:
    """  Articles: list with filters, one with its cost model, its status for polling, re-analyse.

    Args:
        id (str):
        dry_run (ArticlesReanalyzeCreateDryRun | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArticleCreated | BudgetExceeded | Error | Estimate]
     """


    kwargs = _get_kwargs(
        id=id,
dry_run=dry_run,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    dry_run: ArticlesReanalyzeCreateDryRun | Unset = UNSET,

) -> ArticleCreated | BudgetExceeded | Error | Estimate | None:
    """  Articles: list with filters, one with its cost model, its status for polling, re-analyse.

    Args:
        id (str):
        dry_run (ArticlesReanalyzeCreateDryRun | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArticleCreated | BudgetExceeded | Error | Estimate
     """


    return sync_detailed(
        id=id,
client=client,
dry_run=dry_run,

    ).parsed

async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    dry_run: ArticlesReanalyzeCreateDryRun | Unset = UNSET,

) -> Response[ArticleCreated | BudgetExceeded | Error | Estimate]:
    """  Articles: list with filters, one with its cost model, its status for polling, re-analyse.

    Args:
        id (str):
        dry_run (ArticlesReanalyzeCreateDryRun | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArticleCreated | BudgetExceeded | Error | Estimate]
     """


    kwargs = _get_kwargs(
        id=id,
dry_run=dry_run,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    dry_run: ArticlesReanalyzeCreateDryRun | Unset = UNSET,

) -> ArticleCreated | BudgetExceeded | Error | Estimate | None:
    """  Articles: list with filters, one with its cost model, its status for polling, re-analyse.

    Args:
        id (str):
        dry_run (ArticlesReanalyzeCreateDryRun | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArticleCreated | BudgetExceeded | Error | Estimate
     """


    return (await asyncio_detailed(
        id=id,
client=client,
dry_run=dry_run,

    )).parsed
