#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: pai_dlc_job_info
short_description: List Alibaba Cloud PAI-DLC training jobs
version_added: 1.0.0
description:
  - Lists training jobs with the PAI-DLC C(ListJobs) API (2020-12-03), every page, with every filter of the
    API's request model (the SDK's C(ListJobsRequest)).
  - Without O(start_time) and O(end_time) the API itself only lists jobs created in the last seven days.
  - Credentials inside jobs are redacted unless O(redact=false) - image registry passwords and auth strings,
    the access key ID and STS token of credential roles, and by class whatever users put in C(envs),
    C(system_envs), container C(env) lists, C(settings), command lines such as C(user_command) and URLs
    (credential-looking keys, URL user-info, token query parameters, C(KEY=VALUE) and C(--key value) pairs);
    see O(redact).
author:
  - Jobscope Maintainers (@jobscope)
requirements:
  - requests
  - jmespath (for O(wait))
extends_documentation_fragment:
  - jobscope.cloud.connection
  - jobscope.cloud.filters.pai_dlc_job
  - jobscope.cloud.alibaba
  - jobscope.cloud.listing
  - jobscope.cloud.wait
  - jobscope.cloud.attributes
  - jobscope.cloud.attributes.alibaba
'''

EXAMPLES = r'''
- name: Running PyTorch jobs of a workspace tagged team=search
  jobscope.cloud.pai_dlc_job_info:
    region: cn-hangzhou
    workspace_id: "86995"
    job_type: PyTorchJob
    status: Running
    tags:
      team: search
  register: training

- name: Wait for a training job to succeed, failing fast on failure
  jobscope.cloud.pai_dlc_job_info:
    region: cn-hangzhou
    job_id: dlc-20210126170216-mtl37ge7gkvdz
    start_time: -30d
    wait:
      until: "jobs[0].status == 'Succeeded'"
      fail_if: "contains(['Failed', 'Stopped'], jobs[0].status)"
      timeout: 7200
      sleep: 60
'''

RETURN = r'''
jobs:
  description:
    - The jobs, each once. Keys are the API's in snake_case, except the keys inside user-defined maps
      (C(envs), C(system_envs), C(tags), C(pod_labels), C(pod_annotations), C(advanced_settings), and resource
      C(limits) and C(requests)), which are returned as they are.
  returned: always
  type: list
  elements: dict
  contains:
    job_id:
      description: The job ID.
      type: str
      sample: dlc-20210126170216-mtl37ge7gkvdz
    display_name:
      description: The job name.
      type: str
    job_type:
      description: The job type.
      type: str
    status:
      description: The job status.
      type: str
      sample: Running
    sub_status:
      description: The sub-status.
      type: str
    workspace_id:
      description: The workspace ID.
      type: str
    workspace_name:
      description: The workspace name.
      type: str
    resource_id:
      description: The resource group ID.
      type: str
    resource_quota_name:
      description: The resource quota name.
      type: str
    user_id:
      description: The owner's user ID.
      type: str
    username:
      description: The owner's name.
      type: str
    reason_code:
      description: Why the job is in its status.
      type: str
    reason_message:
      description: The explanation of the job's RV(jobs[].status) and RV(jobs[].reason_code).
      type: str
    job_specs:
      description: The roles of the job, with image, C(image_config) (credentials redacted), pod count and resources.
      type: list
      elements: dict
      contains:
        assign_node_spec:
          description: The node scheduling configuration.
          type: dict
        auto_scaling_spec:
          description: The auto scaling configuration.
          type: dict
        consider_in_success_policy:
          description: Specifies whether to consider this role when determining job success.
          type: bool
        driver:
          description: The NVIDIA driver version of the role.
          type: str
        ecs_spec:
          description: The hardware specification of the worker.
          type: str
        elastic_spot_specs:
          description: Spot instance types the role may run on, each with its strategy and price limits.
          type: list
          elements: dict
        extra_pod_spec:
          description: The extra pod configuration.
          type: dict
        hyper_node_scheduling_config:
          description: Scheduling across hyper nodes (C(min_available), C(quality_policy)).
          type: dict
        image:
          description: The runtime image address for this type of worker.
          type: str
        image_config:
          description: The private image configuration.
          type: dict
        is_cheif:
          description: '[Deprecated] This field is deprecated due to a spelling error.'
          type: bool
        is_chief:
          description: Specifies whether the role is the Chief role.
          type: bool
        local_mount_specs:
          description: The list of local mount configurations.
          type: list
          elements: dict
        oversold_type:
          description: The idle-resource mode of the role.
          type: str
        pod_count:
          description: The number of replicas.
          type: int
        quota_id:
          description: The resource quota ID of the role.
          type: str
        resource_config:
          description: The resource configuration.
          type: dict
        restart_policy:
          description: The restart policy.
          type: str
        service_spec:
          description: The service configuration.
          type: dict
        spot_spec:
          description: The spot instance configuration.
          type: dict
        startup_dependencies:
          description: The dependencies required before this role starts.
          type: list
          elements: dict
        system_disk:
          description: The system disk.
          type: dict
        type:
          description: The type, which is closely related to the job type.
          type: str
        use_spot_instance:
          description: Specifies whether to use spot instances.
          type: bool
        user_command:
          description: The role-level startup command.
          type: str
    credential_config:
      description: Credential injection settings; role access key IDs and STS tokens are redacted.
      type: dict
      contains:
        aliyun_env_role_key:
          description: The role identity key injected into environment variables.
          type: str
        credential_config_items:
          description: The list of credential configuration items.
          type: list
          elements: dict
        enable_credential_inject:
          description: Specifies whether to enable credential injection.
          type: bool
    envs:
      description: Environment variables, keys as the user set them; values of credential-looking keys
        (C(HF_TOKEN), C(DB_PASSWORD), ...) and passwords in URLs are C(********) unless O(redact=false).
      type: dict
      sample:
        MY_ENV_Key: value
    settings:
      description: Job settings, including C(tags) and C(advanced_settings) with keys as the user set them.
      type: dict
      contains:
        advanced_settings:
          description: The extra advanced parameter settings.
          type: dict
        allocate_all_rdma_devices:
          description: Specifies whether to mount all RDMA network interfaces.
          type: bool
        allow_unschedulable_nodes:
          description: Whether the job may be scheduled on nodes marked unschedulable.
          type: bool
        business_user_id:
          description: The user ID associated with the job.
          type: str
        caller:
          description: The caller.
          type: str
        data_juicer_config:
          description: The DataJuicer task configuration.
          type: dict
        disable_ecs_stock_check:
          description: Specifies whether to skip inventory check.
          type: bool
        driver:
          description: The NVIDIA driver configuration.
          type: str
        elastic_spot_job_max_restart_times:
          description: How often an elastic spot job may restart at most.
          type: int
        enable_cpu_affinity:
          description: The CPU affinity setting.
          type: bool
        enable_dsw_dev:
          description: Whether DSW development mode is enabled for the job.
          type: bool
        enable_error_monitoring_in_ai_master:
          description: Specifies whether to enable fault tolerance monitoring for the job.
          type: bool
        enable_oss_append:
          description: Specifies whether to allow OSS append write.
          type: bool
        enable_rdma:
          description: Specifies whether to allow the job to use RDMA.
          type: bool
        enable_sanity_check:
          description: Specifies whether to enable computing power health check for the job.
          type: bool
        enable_tide_resource:
          description: Specifies whether to allow the job to use tidal resources.
          type: bool
        error_monitoring_args:
          description: The configuration parameters for fault tolerance monitoring after it is enabled, such as whether
            to enable log hang-based detection.
          type: str
        job_reserved_minutes:
          description: The retention duration after job completion, in minutes.
          type: int
        job_reserved_policy:
          description: The retention policy after job completion.
          type: str
        model_config:
          description: The output model configuration.
          type: dict
        oversold_type:
          description: The oversold resource usage mode for the job (reject/accept/only accept).
          type: str
        pipeline_id:
          description: The workflow ID.
          type: str
        sanity_check_args:
          description: The configuration parameters for computing power health check.
          type: str
        shell:
          description: The shell the command runs in.
          type: str
        tags:
          description: The custom tags.
          type: dict
        termination_grace_period_seconds:
          description: Seconds a pod is given to stop before it is killed.
          type: int
    gmt_create_time:
      description: Creation time, ISO 8601.
      type: str
    gmt_finish_time:
      description: Finish time, ISO 8601.
      type: str
    duration:
      description: Running time in seconds.
      type: int
    pods:
      description: The job's pods and their history.
      type: list
      elements: dict
      contains:
        gmt_create_time:
          description: When the pod was created, ISO 8601.
          type: str
        gmt_finish_time:
          description: When the pod finished, ISO 8601 (empty while it runs).
          type: str
        gmt_start_time:
          description: When the pod started, ISO 8601.
          type: str
        history_pods:
          description: Earlier incarnations of this pod (after restarts), with the same fields.
          type: list
          elements: dict
        ip:
          description: The pod's IP address.
          type: str
        node_name:
          description: The node the pod runs on.
          type: str
        pod_id:
          description: The pod ID.
          type: str
        pod_ip:
          description: The pod's primary IP address.
          type: str
        pod_ips:
          description: The pod's network interfaces, each with C(interface_name) and C(ip).
          type: list
          elements: dict
        pod_uid:
          description: The pod UID.
          type: str
        status:
          description: The pod status.
          type: str
        sub_status:
          description: The pod's sub-status.
          type: str
        supported_profiling_types:
          description: The profilers the job supports, comma-separated, for example C(PyTorchProfiler,NsightSystems).
          type: str
        type:
          description: The pod's role, for example C(Worker).
          type: str
    status_history:
      description: Earlier statuses.
      type: list
      elements: dict
      contains:
        end_time:
          description: The end time of this status (UTC).
          type: str
        reason_code:
          description: The reason code for this status.
          type: str
        reason_message:
          description: The detailed message for this status.
          type: str
        start_time:
          description: The start time of this status (UTC).
          type: str
        status:
          description: The job status.
          type: str
    accessibility:
      description: The visibility.
      type: str
    cluster_id:
      description: The cluster ID.
      type: str
    code_source:
      description: The code source configuration used by this job.
      type: dict
      contains:
        branch:
          description: The code repository branch.
          type: str
        code_source_id:
          description: The code source configuration ID.
          type: str
        commit:
          description: The commit ID of the code repository used by this job.
          type: str
        mount_path:
          description: The local mount path of the code.
          type: str
    data_sources:
      description: The list of all datasource configs used by this job.
      type: list
      elements: dict
      contains:
        data_source_id:
          description: The datasource config ID.
          type: str
        mount_path:
          description: The local mount path of the data source.
          type: str
    elastic_spec:
      description: The elastic job parameters.
      type: dict
      contains:
        ai_master_docker_image:
          description: The aimaster docker image.
          type: str
        ai_master_type:
          description: The aimaster type.
          type: str
        edp_max_parallelism:
          description: The edpmax parallelism.
          type: int
        edp_min_parallelism:
          description: The edpmin parallelism.
          type: int
        elastic_strategy:
          description: The elastic strategy.
          type: str
        enable_ai_master:
          description: The enable aimaster.
          type: bool
        enable_edp:
          description: The enable edp.
          type: bool
        enable_elastic_training:
          description: The enable elastic training.
          type: bool
        enable_ps_job_elastic_ps:
          description: The enable ps job elastic ps.
          type: bool
        enable_ps_job_elastic_worker:
          description: The enable ps job elastic worker.
          type: bool
        enable_ps_resource_estimate:
          description: The enable ps resource estimate.
          type: bool
        max_parallelism:
          description: The max parallelism.
          type: int
        min_parallelism:
          description: The min parallelism.
          type: int
        ps_max_parallelism:
          description: The psmax parallelism.
          type: int
        ps_min_parallelism:
          description: The psmin parallelism.
          type: int
    enable_preemptible_job:
      description: Indicates whether PreemptibleJob is enabled.
      type: bool
    enabled_debugger:
      description: Indicates whether debugger analysis is enabled.
      type: bool
    gmt_failed_time:
      description: The time when the job failed (UTC).
      type: str
    gmt_modified_time:
      description: The time when the job was modified (UTC).
      type: str
    gmt_running_time:
      description: The time when the job started running in UTC format.
      type: str
    gmt_stopped_time:
      description: The time when the job was stopped (UTC).
      type: str
    gmt_submitted_time:
      description: The job submission time in UTC format.
      type: str
    gmt_successed_time:
      description: The time when the job completed successfully in UTC format.
      type: str
    is_deleted:
      description: Indicates whether the job is deleted.
      type: bool
    job_max_running_time_minutes:
      description: The maximum job running duration.
      type: int
    job_replica_statuses:
      description: The job replica statuses.
      type: list
      elements: dict
      contains:
        active:
          description: The number of active pods for this replica type.
          type: int
        current_spot_instance_type:
          description: The type of spot instance in use, if any.
          type: str
        dequeued:
          description: The number of dequeued pods.
          type: int
        estimated_auto_scaling_spec:
          description: The estimated auto scaling specification.
          type: dict
        estimated_pod_count:
          description: The estimated number of pods for this replica type, used for auto scaling.
          type: int
        estimated_resource_config:
          description: The estimated resource configuration.
          type: dict
        queuing:
          description: The number of queued pods.
          type: int
        type:
          description: The type of the job replica.
          type: str
    node_count:
      description: The number of nodes.
      type: str
    node_names:
      description: The node names.
      type: list
      elements: str
    priority:
      description: The job priority.
      type: int
    request_cpu:
      description: The requested CPU resources.
      type: int
    request_gpu:
      description: The requested GPU resources.
      type: str
    request_memory:
      description: The requested memory resources.
      type: str
    resource_level:
      description: The resource level of the job at runtime.
      type: str
    resource_name:
      description: The name of the resource on which the job runs.
      type: str
    resource_type:
      description: The resource type.
      type: str
    restart_times:
      description: The number of times the job has been restarted.
      type: str
    retry_count:
      description: The retry count.
      type: int
    scheduling_strategy:
      description: The scheduling strategy.
      type: str
    supported_profiling_types:
      description: The profilers the job supports, comma-separated, for example C(PyTorchProfiler,NsightSystems).
      type: str
    system_envs:
      description: The system environment variable configuration.
      type: dict
    template_id:
      description: The ID of the job template the job was created from, if any.
      type: str
    template_name:
      description: The template name.
      type: str
    tenant_id:
      description: The tenant ID.
      type: str
    thirdparty_lib_dir:
      description: The directory where the third-party library file requirements.txt is located.
      type: str
    thirdparty_libs:
      description: The list of third-party Python libraries installed before the job runs.
      type: list
      elements: str
    use_oversold_resource:
      description: Indicates whether the job uses idle resources.
      type: bool
    user_command:
      description: The startup command that runs on each node of the job; the values of credential-looking
        C(KEY=VALUE) pairs and C(--key value) options, and passwords in URLs, are C(********) unless
        O(redact=false).
      type: str
    user_script:
      description: The user script.
      type: str
    user_vpc:
      description: The user VPC.
      type: dict
      contains:
        default_route:
          description: The default route.
          type: str
        extended_cidrs:
          description: The extended CIDR blocks to connect.
          type: list
          elements: str
        security_group_id:
          description: The security group ID.
          type: str
        switch_id:
          description: The vSwitch ID.
          type: str
        vpc_id:
          description: VPC ID
          type: str
    working_dir:
      description: The working directory.
      type: str
total:
  description: The number of matching jobs reported by the API.
  returned: always
  type: int
complete:
  description: Whether the listing is known to be consistent; V(false) with a warning when the total changed
    while the pages were read.
  returned: always
  type: bool
wait:
  description: What the wait did (C(attempts), C(elapsed)), when O(wait) is set.
  returned: when O(wait) is set
  type: dict
'''

from ansible_collections.jobscope.cloud.plugins.module_utils.info import run_info_module


def main():
    run_info_module('pai_dlc_job')


if __name__ == '__main__':
    main()
