# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The list endpoints, as data. Everything that differs between them lives here and nowhere else."""

from __future__ import annotations

from ansible_collections.jobscope.cloud.plugins.module_utils import alibaba, huawei, ray
from ansible_collections.jobscope.cloud.plugins.module_utils.options import Param
from ansible_collections.jobscope.cloud.plugins.module_utils.shaping import snake
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import Refused


class PageNumbers(object):
    """pageNum/pageSize style: page i (0-based) is number i+1.

    maximum: the largest page asked for; documented says whether the API's reference states it or it is
    an assumption (a server that silently caps lower is caught by the listing's total and short-page checks).
    """

    paged = True

    def __init__(self, number, size, default, maximum, documented=False):
        self.number, self.size, self.default, self.maximum = number, size, default, maximum
        self.documented = documented

    def params(self, index, page_size):
        return {self.number: str(index + 1), self.size: str(page_size)}


class Offsets(object):
    """offset/limit style: page i starts at item i * limit."""

    paged = True

    def __init__(self, offset, limit, default, maximum, documented=False):
        self.offset, self.limit, self.default, self.maximum = offset, limit, default, maximum
        self.documented = documented

    def params(self, index, page_size):
        return {self.offset: str(index * page_size), self.limit: str(page_size)}


class Unpaged(object):
    """One request answers the whole listing: no paging parameters, no page size, no total."""

    paged = False
    default = maximum = None
    documented = True

    def params(self, index, page_size):
        return {}


class Envelope(object):
    """How a 2xx body says the call failed: a status field other than ``ok_status``, or a code field that
    is set and not one of ``ok_codes``. The failure carries the body's code, message and request id."""

    def __init__(self, status=None, code=None, message=None, request_id=None, ok_status=200, ok_codes=()):
        self.status, self.code, self.message, self.request_id = status, code, message, request_id
        self.ok_status, self.ok_codes = ok_status, frozenset(ok_codes)

    def check(self, body):
        if not isinstance(body, dict):
            return
        status = body.get(self.status) if self.status else None
        code = body.get(self.code) if self.code else None
        bad_status = status is not None and status != self.ok_status
        bad_code = code not in (None, '') and not (isinstance(code, str) and code in self.ok_codes)
        if not (bad_status or bad_code):
            return
        number = status if isinstance(status, int) and not isinstance(status, bool) and 100 <= status < 600 else None
        message = body.get(self.message) if self.message else None
        if not message:
            message = 'the response says the call failed (%s %s)' % (
                (self.status, _plain(status)) if bad_status else (self.code, _plain(code))
            )
        request_id = body.get(self.request_id) if self.request_id else None
        raise Refused(
            number if number is not None else (502 if bad_status else None),
            code if bad_code else None,
            str(message)[:500],
            request_id if isinstance(request_id, (str, int)) and not isinstance(request_id, bool) else None,
        )


def _plain(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + '...'


# MaxCompute answers some failures with HTTP 200 and the real status in its own envelope; its SDK treats
# any httpCode other than 200 as a failure. The other three APIs' SDKs read failures from the HTTP status
# only, so their endpoints declare no envelope.
MAXCOMPUTE_ENVELOPE = Envelope(
    status='httpCode',
    code='errorCode',
    message='errorMsg',
    request_id='requestId',
    ok_status=200,
    ok_codes=('success',),
)


class Endpoint(object):
    def __init__(
        self,
        name,
        cloud,
        service,
        action,
        version,
        path,
        params,
        paging,
        items,
        item_id,
        result_key,
        total=None,
        secrets=None,
        keep=(),
        state=None,
        ordered=(),
        required_if=(),
        together=(),
        membership=None,
        failure=None,
        strictly_ordered=(),
        alternate_ids=(),
    ):
        self.name = name  # the module is <name>_info
        self.cloud = cloud  # the cloud.Cloud object of its cloud (alibaba.CLOUD, ...)
        self.service = service  # product host prefix
        self.action = action  # x-acs-action, and the operation named in errors
        self.version = version
        self.path = path  # with {placeholders} for path parameters
        self.params = params  # the filters, as Param
        self.paging = paging
        self.items = items  # dotted path to the item list in a page body; None: the body is the list
        self.item_id = item_id  # the key that identifies an item (for de-duplication)
        # Keys that identify an item without item_id, in order (a Ray DRIVER job has a job_id, no submission_id).
        self.alternate_ids = tuple(alternate_ids)
        self.result_key = result_key  # where modules return the items
        self.total = total  # dotted path to the total count, or None when the API reports none
        self.secrets = secrets or {}  # dotted wire-name path -> redaction kind (see shaping)
        self.keep = keep  # user-defined maps whose keys are returned as they are
        self.state = state  # the snake_case field gates and inventory group by
        self.ordered = ordered  # (earlier, later) option pairs that must be in order
        self.required_if = required_if
        self.failure = failure  # an Envelope: how a 2xx body says the call failed, or None
        self.strictly_ordered = strictly_ordered  # (earlier, later) option pairs that must differ and be in order
        self.together = together  # (option, other) pairs: option is meaningless without other
        # What being listed means ('running', 'queued') for lists whose items carry no lifecycle state:
        # their `state` only groups, and events report them appearing and disappearing.
        self.membership = membership

    def id_of(self, item, shaped=False):
        """An item's ID: the value of item_id or else of the first alternate ID it holds (wire names, or the
        snake_case ones of a ``shaped`` item); None when it has none or a garbled one (an ID is a scalar)."""
        if not isinstance(item, dict):
            return None
        for key in (self.item_id,) + self.alternate_ids:
            if not key:
                continue
            value = item.get(snake(key) if shaped else key)
            if value is not None:
                return None if isinstance(value, (dict, list)) else value
        return None

    @property
    def lifecycle(self):
        """The snake_case field holding an item's lifecycle state (events compare it), or None."""
        return None if self.membership else self.state


# User-defined maps in DLC jobs: their keys are the user's, not the API's.
DLC_USER_MAPS = ('Envs', 'SystemEnvs', 'Tags', 'PodLabels', 'PodAnnotations', 'AdvancedSettings', 'Limits', 'Requests')

# Choice lists are closed only where the API's values are a fixed set (a sort order, a visibility, the four
# idle-resource modes). Job types, statuses, sort and time fields and payment types are lists the cloud
# grows (the SDK's ListJobs list of job types already lacks DataJuicerJob): any value is sent, and the
# known ones are documented in doc_fragments/filters.py.

EMR_WORKSPACE = Param('workspace_id', 'workspaceId', required=True, in_path=True)

ENDPOINTS = dict(
    (endpoint.name, endpoint)
    for endpoint in [
        Endpoint(
            name='emr_ray_cluster',
            cloud=alibaba.CLOUD,
            service='emr-serverless-spark',
            action='ListRayCluster',
            version='2023-08-08',
            path='/api/v1/workspaces/{workspaceId}/rayCluster',
            params=(EMR_WORKSPACE,),
            paging=PageNumbers('pageNum', 'pageSize', default=100, maximum=100, documented=True),
            items='rayClusters',
            item_id='clusterId',
            result_key='clusters',
            total=None,
            secrets={'dashboardUrl': 'url_token'},
            state='state',
        ),
        Endpoint(
            name='emr_ray_job',
            cloud=alibaba.CLOUD,
            service='emr-serverless-spark',
            action='ListRayJob',
            version='2023-08-08',
            path='/api/v1/workspaces/{workspaceId}/rayJob',
            params=(
                EMR_WORKSPACE,
                Param('submission_id', 'submissionId'),
                Param('name', 'name'),
                Param('task_biz_id', 'taskBizId'),
                Param(
                    'submit_time',
                    'submitTime',
                    kind='object',
                    fields=(
                        Param('start_time', 'startTime', kind='time', unit='ms'),
                        Param('end_time', 'endTime', kind='time', unit='ms'),
                    ),
                ),
            ),
            paging=PageNumbers('pageNum', 'pageSize', default=100, maximum=100),
            items='rayJobs',
            item_id='submissionId',
            result_key='jobs',
            total='totalCount',
            secrets={'dashboardUrl': 'url_token'},
            state='status',
        ),
        Endpoint(
            name='pai_dlc_job',
            cloud=alibaba.CLOUD,
            service='pai-dlc',
            action='ListJobs',
            version='2020-12-03',
            path='/api/v1/jobs',
            params=(
                Param('display_name', 'DisplayName'),
                Param('display_name_search_mode', 'DisplayNameSearchMode'),
                Param('job_type', 'JobType'),
                Param('status', 'Status'),
                Param('start_time', 'StartTime', kind='time', unit='iso'),
                Param('end_time', 'EndTime', kind='time', unit='iso'),
                Param('time_range_field', 'TimeRangeField'),
                Param('sort_by', 'SortBy'),
                Param('order', 'Order', choices=('asc', 'desc')),
                Param('show_own', 'ShowOwn', kind='bool'),
                Param('workspace_id', 'WorkspaceId'),
                Param('resource_id', 'ResourceId'),
                Param('resource_ids', 'ResourceIds', kind='list'),
                Param('business_user_id', 'BusinessUserId'),
                Param('caller', 'Caller'),
                Param('tags', 'Tags', kind='map'),
                Param('pipeline_id', 'PipelineId'),
                Param('template_id', 'TemplateId'),
                Param('from_all_workspaces', 'FromAllWorkspaces', kind='bool'),
                Param('job_id', 'JobId'),
                Param('job_ids', 'JobIds', kind='list'),
                Param('user_id_for_filter', 'UserIdForFilter'),
                Param('username', 'Username'),
                Param('resource_quota_name', 'ResourceQuotaName'),
                Param('payment_type', 'PaymentType'),
                Param('description', 'Description'),
                Param('enable_assign_node', 'EnableAssignNode'),
                Param('image_search', 'ImageSearch'),
                Param('reason_search', 'ReasonSearch'),
                Param('user_command_search', 'UserCommandSearch'),
                Param('numeric_range_field', 'NumericRangeField'),
                Param('numeric_range_min', 'NumericRangeMin', kind='int'),
                Param('numeric_range_max', 'NumericRangeMax', kind='int'),
                Param('accessibility', 'Accessibility', choices=('PUBLIC', 'PRIVATE')),
                Param(
                    'oversold_info',
                    'OversoldInfo',
                    choices=(
                        'ForbiddenQuotaOverSold',
                        'ForceQuotaOverSold',
                        'AcceptQuotaOverSold-true',
                        'AcceptQuotaOverSold-false',
                    ),
                ),
            ),
            paging=PageNumbers('PageNumber', 'PageSize', default=100, maximum=100),
            items='Jobs',
            item_id='JobId',
            result_key='jobs',
            total='TotalCount',
            secrets={
                'JobSpecs.ImageConfig.Password': 'value',
                'JobSpecs.ImageConfig.Auth': 'value',
                'CredentialConfig.CredentialConfigItems.Roles.AssumeUserInfo.AccessKeyId': 'value',
                'CredentialConfig.CredentialConfigItems.Roles.AssumeUserInfo.SecurityToken': 'value',
            },
            keep=DLC_USER_MAPS,
            state='status',
            ordered=(('start_time', 'end_time'), ('numeric_range_min', 'numeric_range_max')),
            together=(('numeric_range_min', 'numeric_range_field'), ('numeric_range_max', 'numeric_range_field')),
        ),
        Endpoint(
            name='maxcompute_running_job',
            cloud=alibaba.CLOUD,
            service='maxcompute',
            action='GetRunningJobs',
            version='2022-01-04',
            path='/api/v1/jobs/runningJobs',
            params=(
                Param('from_time', 'from', kind='time', unit='s', required=True),
                Param('to_time', 'to', kind='time', unit='s', required=True),
                Param('job_owner_list', 'jobOwnerList', kind='list'),
                Param('quota_nickname_list', 'quotaNicknameList', kind='list'),
            ),
            paging=PageNumbers('pageNumber', 'pageSize', default=20, maximum=20, documented=True),
            items='data.runningJobInfoList',
            item_id='instanceId',
            result_key='jobs',
            total='data.totalCount',
            state='quota_nickname',
            strictly_ordered=(('from_time', 'to_time'),),
            membership='running',
            failure=MAXCOMPUTE_ENVELOPE,
        ),
        Endpoint(
            name='octopus_queued_job',
            cloud=huawei.CLOUD,
            service='octopus',
            action='QueryQueuedJobList',
            version=None,
            path='/v1.0/{project_id}/data/queuing-jobs',
            params=(
                Param('queue_type', 'queue_type', required=True),
                Param('job_id', 'job_id', kind='int', minimum=0),
                Param('output_type', 'output_type'),
                Param('job_type', 'job_type'),
                Param('data_id', 'data_id'),
                Param('processor_name', 'processor_name'),
                Param('cluster_type', 'cluster_type'),
                Param('cluster_id', 'cluster_id'),
            ),
            paging=Offsets('offset', 'limit', default=100, maximum=100),
            items='payload.list',
            item_id='id',
            result_key='jobs',
            total='payload.page_info.total',
            state='queue_type',
            membership='queued',
            required_if=(('cluster_type', 'MODELARTS', ('cluster_id',)),),
        ),
        Endpoint(
            name='ray_job',
            cloud=ray.CLOUD,
            service=None,
            action='GET /api/jobs/',
            version=None,
            path='/api/jobs/',
            # The API filters nothing: these are applied to its answer on the controller.
            params=(
                Param(
                    'status', 'status', choices=('PENDING', 'RUNNING', 'STOPPED', 'SUCCEEDED', 'FAILED'), match='equals'
                ),
                Param('submission_id', 'submission_id', match='equals'),
                Param('type', 'type', choices=('SUBMISSION', 'DRIVER'), match='equals'),
                Param('entrypoint', 'entrypoint', match='contains'),
                Param('metadata', 'metadata', kind='map', match='entries'),
            ),
            paging=Unpaged(),
            items=None,
            item_id='submission_id',
            alternate_ids=('job_id',),
            result_key='jobs',
            # The user's own maps; Ray's keys are snake_case already.
            keep=('metadata', 'runtime_env', 'entrypoint_resources'),
            state='status',
        ),
    ]
)
