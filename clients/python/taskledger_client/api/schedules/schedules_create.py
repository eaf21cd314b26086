from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error import Error
from ...models.schedule import Schedule
from ...models.schedule_write_request import ScheduleWriteRequest
from typing import cast



def _get_kwargs(
    *,
    body:    ScheduleWriteRequest  |     ScheduleWriteRequest  |     ScheduleWriteRequest  | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/schedules/",
    }

    if isinstance(body, ScheduleWriteRequest):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, ScheduleWriteRequest):
        _kwargs["data"] = body.to_dict()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if isinstance(body, ScheduleWriteRequest):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Schedule | None:
    if response.status_code == 201:
        response_201 = Schedule.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())



        return response_401

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())



        return response_404

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Schedule]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body:    ScheduleWriteRequest  |     ScheduleWriteRequest  |     ScheduleWriteRequest  | Unset = UNSET,

) -> Response[Error | Schedule]:
    """  Recurring work: list, create, change, delete, run now, pause, resume, runs, cost.

    Args:
        body (ScheduleWriteRequest): A schedule's fields, checked as a whole: for PATCH the stored
            values fill the rest.

            Kind, params and priority are checked by the task API's own create serializer, so a
            schedule accepts exactly what creating its task by hand would.
        body (ScheduleWriteRequest): A schedule's fields, checked as a whole: for PATCH the stored
            values fill the rest.

            Kind, params and priority are checked by the task API's own create serializer, so a
            schedule accepts exactly what creating its task by hand would.
        body (ScheduleWriteRequest): A schedule's fields, checked as a whole: for PATCH the stored
            values fill the rest.

            Kind, params and priority are checked by the task API's own create serializer, so a
            schedule accepts exactly what creating its task by hand would.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Schedule]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body:    ScheduleWriteRequest  |     ScheduleWriteRequest  |     ScheduleWriteRequest  | Unset = UNSET,

) -> Error | Schedule | None:
    """  Recurring work: list, create, change, delete, run now, pause, resume, runs, cost.

    Args:
        body (ScheduleWriteRequest): A schedule's fields, checked as a whole: for PATCH the stored
            values fill the rest.

            Kind, params and priority are checked by the task API's own create serializer, so a
            schedule accepts exactly what creating its task by hand would.
        body (ScheduleWriteRequest): A schedule's fields, checked as a whole: for PATCH the stored
            values fill the rest.

            Kind, params and priority are checked by the task API's own create serializer, so a
            schedule accepts exactly what creating its task by hand would.
        body (ScheduleWriteRequest): A schedule's fields, checked as a whole: for PATCH the stored
            values fill the rest.

            Kind, params and priority are checked by the task API's own create serializer, so a
            schedule accepts exactly what creating its task by hand would.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Schedule
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body:    ScheduleWriteRequest  |     ScheduleWriteRequest  |     ScheduleWriteRequest  | Unset = UNSET,

) -> Response[Error | Schedule]:
    """  Recurring work: list, create, change, delete, run now, pause, resume, runs, cost.

    Args:
        body (ScheduleWriteRequest): A schedule's fields, checked as a whole: for PATCH the stored
            values fill the rest.

            Kind, params and priority are checked by the task API's own create serializer, so a
            schedule accepts exactly what creating its task by hand would.
        body (ScheduleWriteRequest): A schedule's fields, checked as a whole: for PATCH the stored
            values fill the rest.

            Kind, params and priority are checked by the task API's own create serializer, so a
            schedule accepts exactly what creating its task by hand would.
        body (ScheduleWriteRequest): A schedule's fields, checked as a whole: for PATCH the stored
            values fill the rest.

            Kind, params and priority are checked by the task API's own create serializer, so a
            schedule accepts exactly what creating its task by hand would.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Schedule]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body:    ScheduleWriteRequest  |     ScheduleWriteRequest  |     ScheduleWriteRequest  | Unset = UNSET,

) -> Error | Schedule | None:
    """  Recurring work: list, create, change, delete, run now, pause, resume, runs, cost.

    Args:
        body (ScheduleWriteRequest): A schedule's fields, checked as a whole: for PATCH the stored
            values fill the rest.

            Kind, params and priority are checked by the task API's own create serializer, so a
            schedule accepts exactly what creating its task by hand would.
        body (ScheduleWriteRequest): A schedule's fields, checked as a whole: for PATCH the stored
            values fill the rest.

            Kind, params and priority are checked by the task API's own create serializer, so a
            schedule accepts exactly what creating its task by hand would.
        body (ScheduleWriteRequest): A schedule's fields, checked as a whole: for PATCH the stored
            values fill the rest.

            Kind, params and priority are checked by the task API's own create serializer, so a
            schedule accepts exactly what creating its task by hand would.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Schedule
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
