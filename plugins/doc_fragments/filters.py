# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The filters of each listing, shared by its info module and its inventory plugin, so that both document
    # the same options (module_utils/endpoints.py declares them once for the code).
    DOCUMENTATION = r'''
options: {}
'''

    # ListRayJob: every request field of the SDK's ListRayJobRequest (alibabacloud_emr_serverless_spark20230808);
    # workspace_id is the path parameter, documented with the connection options.
    EMR_RAY_JOB = r'''
options:
  submission_id:
    description:
      - Only the job with this submission ID, for example C(rj-uiulpgow9xljimm1).
    type: str
  name:
    description:
      - Only jobs with exactly this name.
    type: str
  task_biz_id:
    description:
      - Only jobs of this Data Studio task.
    type: str
  submit_time:
    description:
      - Only jobs submitted in this range, sent as the JSON object C(submitTime).
    type: dict
    suboptions:
      start_time:
        description:
          - Start of the range (inclusive) - epoch milliseconds, ISO 8601, C(now) or an offset such as C(-2h).
        type: raw
      end_time:
        description:
          - End of the range (inclusive), in the same forms. Must not be before O(submit_time.start_time).
        type: raw
'''

    # PAI-DLC ListJobs: every request field of the SDK's ListJobsRequest (alibabacloud_pai_dlc20201203).
    PAI_DLC_JOB = r'''
options:
  display_name:
    description:
      - Jobs whose name contains this text (case-insensitive, no wildcards), unless O(display_name_search_mode)
        says otherwise.
    type: str
  display_name_search_mode:
    description:
      - How O(display_name) is matched. The API's default is its fuzzy match; the SDK documents no other values,
        so any value is sent as it is.
    type: str
  job_type:
    description:
      - Only jobs of this type, for example C(TFJob), C(PyTorchJob), C(XGBoostJob), C(OneFlowJob),
        C(ElasticBatchJob), C(MPIJob), C(SlurmJob), C(RayJob) or C(DataJuicerJob).
      - Not a closed list - DLC adds job types - so any value is sent as it is.
    type: str
  status:
    description:
      - Only jobs in this status - C(Creating), C(Queuing), C(Bidding), C(EnvPreparing), C(SanityChecking),
        C(Running), C(Restarting), C(Stopping), C(SucceededReserving), C(FailedReserving), C(Succeeded),
        C(Failed) or C(Stopped) as the SDK documents them; a status the API adds later is sent as it is.
    type: str
  start_time:
    description:
      - Only jobs whose O(time_range_field) (by default the creation time) is at or after this time - ISO 8601,
        epoch seconds, C(now) or an offset such as C(-30d). Sent as ISO 8601 UTC.
      - Without O(start_time) and O(end_time) the API itself only lists jobs created in the last seven days.
    type: raw
  end_time:
    description:
      - Only jobs whose O(time_range_field) is at or before this time, in the same forms. Must not be before
        O(start_time).
    type: raw
  time_range_field:
    description:
      - The job time that O(start_time) and O(end_time) filter on, for example C(GmtCreateTime) (the API's
        default) or C(GmtFinishTime). Any value is sent as it is.
    type: str
  sort_by:
    description:
      - The field the API sorts by, for example C(DisplayName), C(JobType), C(Status), C(GmtCreateTime) or
        C(GmtFinishTime). Any value is sent as it is.
    type: str
  order:
    description:
      - The sort order.
    type: str
    choices: [asc, desc]
  show_own:
    description:
      - Only jobs submitted by the caller.
    type: bool
  workspace_id:
    description:
      - Only jobs of this workspace.
    type: str
  resource_id:
    description:
      - Only jobs of this resource group.
    type: str
  resource_ids:
    description:
      - Only jobs of any of these resource groups. Sent comma-joined as C(ResourceIds).
    type: list
    elements: str
  business_user_id:
    description:
      - Only jobs associated with this user.
    type: str
  caller:
    description:
      - Only jobs of this caller.
    type: str
  tags:
    description:
      - Only jobs that carry all these tags. Sent as the JSON map C(Tags), keys in the order given.
    type: dict
  pipeline_id:
    description:
      - Only jobs created by this workflow.
    type: str
  template_id:
    description:
      - Only jobs created from this job template.
    type: str
  from_all_workspaces:
    description:
      - List jobs across workspaces. The API expects it together with O(show_own=true).
    type: bool
  job_id:
    description:
      - Only the job with exactly this ID (case-insensitive; no fuzzy match, no wildcards).
      - Takes precedence over O(job_ids).
    type: str
  job_ids:
    description:
      - Only the jobs with these IDs. Sent comma-joined as C(JobIds).
    type: list
    elements: str
  user_id_for_filter:
    description:
      - Only jobs submitted by this user ID.
    type: str
  username:
    description:
      - Jobs whose submitter's username contains this text.
    type: str
  resource_quota_name:
    description:
      - Jobs whose resource quota name contains this text.
    type: str
  payment_type:
    description:
      - Only jobs on this kind of resource - C(PrePaid) (resource quota), C(Spot) (preemptible resources) or
        C(PostPaid) (public resources) as the SDK documents them; any value is sent as it is.
    type: str
  description:
    description:
      - Only jobs with this description.
    type: str
  enable_assign_node:
    description:
      - Whether to list only jobs that run on assigned nodes, C(true) or C(false). Sent as it is (the API
        types it as a string).
    type: str
  image_search:
    description:
      - Full-text search (Chinese and English words) in the jobs' images.
    type: str
  reason_search:
    description:
      - Full-text search (Chinese and English words) in the reason a job's node failed.
    type: str
  user_command_search:
    description:
      - Full-text search (Chinese and English words) in the jobs' user command.
    type: str
  numeric_range_field:
    description:
      - The numeric job field that O(numeric_range_min) and O(numeric_range_max) bound, for example C(Priority)
        or C(Duration). Any value is sent as it is.
    type: str
  numeric_range_min:
    description:
      - Only jobs whose O(numeric_range_field) is at least this (inclusive). Needs O(numeric_range_field).
    type: int
  numeric_range_max:
    description:
      - Only jobs whose O(numeric_range_field) is at most this (inclusive). Needs O(numeric_range_field) and
        must not be below O(numeric_range_min).
    type: int
  accessibility:
    description:
      - Only jobs of this visibility.
    type: str
    choices: [PUBLIC, PRIVATE]
  oversold_info:
    description:
      - Only jobs with this idle-resource setting. C(AcceptQuotaOverSold-true) selects jobs that accepted idle
        resources and used them, C(AcceptQuotaOverSold-false) those that accepted them but ran on guaranteed ones.
    type: str
    choices: [ForbiddenQuotaOverSold, ForceQuotaOverSold, AcceptQuotaOverSold-true, AcceptQuotaOverSold-false]
'''

    # MaxCompute GetRunningJobs: every request field of the SDK's GetRunningJobsRequest (alibabacloud_maxcompute20220104).
    MAXCOMPUTE_RUNNING_JOB = r'''
options:
  from_time:
    description:
      - Start of the submission-time range - epoch seconds, ISO 8601, C(now) or an offset such as C(-1h).
      - Relative times are taken afresh whenever the listing is read.
    type: raw
    required: true
  to_time:
    description:
      - End of the submission-time range, in the same forms. Must not be before O(from_time).
      - The range is inclusive; the API lists nothing when O(to_time) equals O(from_time).
    type: raw
    required: true
  job_owner_list:
    description:
      - Only jobs run by these owners, for example C(ALIYUN$someone@example.com) or C(RAM$account:user).
    type: list
    elements: str
  quota_nickname_list:
    description:
      - Only jobs that use these quotas (nicknames).
    type: list
    elements: str
'''

    # Octopus QueryQueuedJobList: the Huawei SDK has no request model for it, so these are the API reference
    # page's parameters.
    OCTOPUS_QUEUED_JOB = r'''
options:
  queue_type:
    description:
      - The queue type, for example C(USER), C(PROCESSOR) or C(INTERNAL).
    type: str
    required: true
  job_id:
    description:
      - Only this job.
    type: int
  output_type:
    description:
      - Only jobs with this output type.
    type: str
  job_type:
    description:
      - Only jobs of this internal job type, for example C(SCENARIO_AUTO_MINING).
    type: str
  data_id:
    description:
      - Only jobs on this data ID.
    type: str
  processor_name:
    description:
      - Only jobs of this processor.
    type: str
  cluster_type:
    description:
      - Only jobs on this cluster type, for example C(CCE) or C(MODELARTS). C(MODELARTS) needs O(cluster_id).
    type: str
  cluster_id:
    description:
      - Only jobs on this cluster. Required when O(cluster_type=MODELARTS).
    type: str
'''
