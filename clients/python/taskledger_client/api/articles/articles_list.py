from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.articles_list_status import ArticlesListStatus
from ...models.error import Error
from ...models.paginated_article_list import PaginatedArticleList
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    created_after: Any | Unset = UNSET,
    created_before: Any | Unset = UNSET,
    entity: str | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: ArticlesListStatus | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_created_after: Any | Unset
    if isinstance(created_after, Unset):
        json_created_after = UNSET
    else:
        json_created_after = created_after
    params["created_after"] = json_created_after

    json_created_before: Any | Unset
    if isinstance(created_before, Unset):
        json_created_before = UNSET
    else:
        json_created_before = created_before
    params["created_before"] = json_created_before

    params["entity"] = entity

    params["entity_id"] = entity_id

    params["page"] = page

    params["page_size"] = page_size

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/articles/",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | PaginatedArticleList | None:
    if response.status_code == 200:
        response_200 = PaginatedArticleList.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())



        return response_401

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | PaginatedArticleList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    created_after: Any | Unset = UNSET,
    created_before: Any | Unset = UNSET,
    entity: str | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: ArticlesListStatus | Unset = UNSET,

) -> Response[Error | PaginatedArticleList]:
    """  Articles: list with filters, one with its cost model, its status for polling, re-analyse.

    Args:
        created_after (Any | Unset):
        created_before (Any | Unset):
        entity (str | Unset):
        entity_id (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        status (ArticlesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedArticleList]
     """


    kwargs = _get_kwargs(
        created_after=created_after,
created_before=created_before,
entity=entity,
entity_id=entity_id,
page=page,
page_size=page_size,
status=status,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    created_after: Any | Unset = UNSET,
    created_before: Any | Unset = UNSET,
    entity: str | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: ArticlesListStatus | Unset = UNSET,

) -> Error | PaginatedArticleList | None:
    """  Articles: list with filters, one with its cost model, its status for polling, re-analyse.

    Args:
        created_after (Any | Unset):
        created_before (Any | Unset):
        entity (str | Unset):
        entity_id (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        status (ArticlesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedArticleList
     """


    return sync_detailed(
        client=client,
created_after=created_after,
created_before=created_before,
entity=entity,
entity_id=entity_id,
page=page,
page_size=page_size,
status=status,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    created_after: Any | Unset = UNSET,
    created_before: Any | Unset = UNSET,
    entity: str | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: ArticlesListStatus | Unset = UNSET,

) -> Response[Error | PaginatedArticleList]:
    """  Articles: list with filters, one with its cost model, its status for polling, re-analyse.

    Args:
        created_after (Any | Unset):
        created_before (Any | Unset):
        entity (str | Unset):
        entity_id (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        status (ArticlesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedArticleList]
     """


    kwargs = _get_kwargs(
        created_after=created_after,
created_before=created_before,
entity=entity,
entity_id=entity_id,
page=page,
page_size=page_size,
status=status,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    created_after: Any | Unset = UNSET,
    created_before: Any | Unset = UNSET,
    entity: str | Unset = UNSET,
    entity_id: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: ArticlesListStatus | Unset = UNSET,

) -> Error | PaginatedArticleList | None:
    """  Articles: list with filters, one with its cost model, its status for polling, re-analyse.

    Args:
        created_after (Any | Unset):
        created_before (Any | Unset):
        entity (str | Unset):
        entity_id (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        status (ArticlesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedArticleList
     """


    return (await asyncio_detailed(
        client=client,
created_after=created_after,
created_before=created_before,
entity=entity,
entity_id=entity_id,
page=page,
page_size=page_size,
status=status,

    )).parsed
