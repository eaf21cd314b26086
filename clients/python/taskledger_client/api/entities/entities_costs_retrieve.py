from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.entities_costs_retrieve_format import EntitiesCostsRetrieveFormat
from ...models.entities_costs_retrieve_group_by import EntitiesCostsRetrieveGroupBy
from ...models.entity_cost import EntityCost
from ...models.error import Error
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    entity_id: str,
    *,
    format_: EntitiesCostsRetrieveFormat | Unset = UNSET,
    group_by: EntitiesCostsRetrieveGroupBy | Unset = EntitiesCostsRetrieveGroupBy.SERVICE,
    since: Any | Unset = UNSET,
    until: Any | Unset = UNSET,
    wait: float | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    json_group_by: str | Unset = UNSET
    if not isinstance(group_by, Unset):
        json_group_by = group_by.value

    params["group_by"] = json_group_by

    json_since: Any | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    else:
        json_since = since
    params["since"] = json_since

    json_until: Any | Unset
    if isinstance(until, Unset):
        json_until = UNSET
    else:
        json_until = until
    params["until"] = json_until

    params["wait"] = wait


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/entities/{entity_id}/costs/".format(entity_id=quote(str(entity_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EntityCost | Error | None:
    if response.status_code == 200:
        response_200 = EntityCost.from_dict(response.json())



        return response_200

    if response.status_code == 202:
        response_202 = EntityCost.from_dict(response.json())



        return response_202

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())



        return response_401

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())



        return response_404

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EntityCost | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    entity_id: str,
    *,
    client: AuthenticatedClient,
    format_: EntitiesCostsRetrieveFormat | Unset = UNSET,
    group_by: EntitiesCostsRetrieveGroupBy | Unset = EntitiesCostsRetrieveGroupBy.SERVICE,
    since: Any | Unset = UNSET,
    until: Any | Unset = UNSET,
    wait: float | Unset = UNSET,

) -> Response[EntityCost | Error]:
    """  An entity's costs over a period, grouped by service, day, task_type or operation_type.

    since is inclusive and until exclusive (ISO dates or date-times; a date is its midnight,
    UTC); until defaults to now, since to 30 days before until. `?format=csv` streams the
    groups, one row each, with `final` on each. `final` is false while a task of the
    entity created before until is still pending or processing; `?wait=N` waits for it.

    Args:
        entity_id (str):
        format_ (EntitiesCostsRetrieveFormat | Unset):
        group_by (EntitiesCostsRetrieveGroupBy | Unset):  Default:
            EntitiesCostsRetrieveGroupBy.SERVICE.
        since (Any | Unset):
        until (Any | Unset):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityCost | Error]
     """


    kwargs = _get_kwargs(
        entity_id=entity_id,
format_=format_,
group_by=group_by,
since=since,
until=until,
wait=wait,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    entity_id: str,
    *,
    client: AuthenticatedClient,
    format_: EntitiesCostsRetrieveFormat | Unset = UNSET,
    group_by: EntitiesCostsRetrieveGroupBy | Unset = EntitiesCostsRetrieveGroupBy.SERVICE,
    since: Any | Unset = UNSET,
    until: Any | Unset = UNSET,
    wait: float | Unset = UNSET,

) -> EntityCost | Error | None:
    """  An entity's costs over a period, grouped by service, day, task_type or operation_type.

    since is inclusive and until exclusive (ISO dates or date-times; a date is its midnight,
    UTC); until defaults to now, since to 30 days before until. `?format=csv` streams the
    groups, one row each, with `final` on each. `final` is false while a task of the
    entity created before until is still pending or processing; `?wait=N` waits for it.

    Args:
        entity_id (str):
        format_ (EntitiesCostsRetrieveFormat | Unset):
        group_by (EntitiesCostsRetrieveGroupBy | Unset):  Default:
            EntitiesCostsRetrieveGroupBy.SERVICE.
        since (Any | Unset):
        until (Any | Unset):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityCost | Error
     """


    return sync_detailed(
        entity_id=entity_id,
client=client,
format_=format_,
group_by=group_by,
since=since,
until=until,
wait=wait,

    ).parsed

async def asyncio_detailed(
    entity_id: str,
    *,
    client: AuthenticatedClient,
    format_: EntitiesCostsRetrieveFormat | Unset = UNSET,
    group_by: EntitiesCostsRetrieveGroupBy | Unset = EntitiesCostsRetrieveGroupBy.SERVICE,
    since: Any | Unset = UNSET,
    until: Any | Unset = UNSET,
    wait: float | Unset = UNSET,

) -> Response[EntityCost | Error]:
    """  An entity's costs over a period, grouped by service, day, task_type or operation_type.

    since is inclusive and until exclusive (ISO dates or date-times; a date is its midnight,
    UTC); until defaults to now, since to 30 days before until. `?format=csv` streams the
    groups, one row each, with `final` on each. `final` is false while a task of the
    entity created before until is still pending or processing; `?wait=N` waits for it.

    Args:
        entity_id (str):
        format_ (EntitiesCostsRetrieveFormat | Unset):
        group_by (EntitiesCostsRetrieveGroupBy | Unset):  Default:
            EntitiesCostsRetrieveGroupBy.SERVICE.
        since (Any | Unset):
        until (Any | Unset):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityCost | Error]
     """


    kwargs = _get_kwargs(
        entity_id=entity_id,
format_=format_,
group_by=group_by,
since=since,
until=until,
wait=wait,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    entity_id: str,
    *,
    client: AuthenticatedClient,
    format_: EntitiesCostsRetrieveFormat | Unset = UNSET,
    group_by: EntitiesCostsRetrieveGroupBy | Unset = EntitiesCostsRetrieveGroupBy.SERVICE,
    since: Any | Unset = UNSET,
    until: Any | Unset = UNSET,
    wait: float | Unset = UNSET,

) -> EntityCost | Error | None:
    """  An entity's costs over a period, grouped by service, day, task_type or operation_type.

    since is inclusive and until exclusive (ISO dates or date-times; a date is its midnight,
    UTC); until defaults to now, since to 30 days before until. `?format=csv` streams the
    groups, one row each, with `final` on each. `final` is false while a task of the
    entity created before until is still pending or processing; `?wait=N` waits for it.

    Args:
        entity_id (str):
        format_ (EntitiesCostsRetrieveFormat | Unset):
        group_by (EntitiesCostsRetrieveGroupBy | Unset):  Default:
            EntitiesCostsRetrieveGroupBy.SERVICE.
        since (Any | Unset):
        until (Any | Unset):
        wait (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityCost | Error
     """


    return (await asyncio_detailed(
        entity_id=entity_id,
client=client,
format_=format_,
group_by=group_by,
since=since,
until=until,
wait=wait,

    )).parsed
