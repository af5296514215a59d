#!/usr/bin/env bash
# Deploys Attune to Amazon Managed Service for Apache Flink:
#   1. builds target/attune-cluster.jar (mvn -q -DskipTests package),
#   2. uploads it to s3://CodeBucket/attune/attune-cluster-<sha256 prefix>.jar (a new jar, a new key, so
#      CloudFormation sees the change and updates the application from its latest snapshot),
#   3. creates or updates the stack from template.yaml (aws cloudformation deploy),
#   4. starts the application if it is not running (aws kinesisanalyticsv2 start-application),
#      restoring from its latest snapshot.
#
# Usage: deploy.sh [--dry-run] [--stack-name NAME] [--region REGION] [--parameters FILE] [--skip-build]
#                  [--skip-restore]
#   --dry-run        print every command (mvn and aws) instead of running it; needs no AWS credentials
#   --stack-name     CloudFormation stack name (default: attune, or $ATTUNE_STACK_NAME)
#   --region         AWS region (default: $AWS_REGION, then $AWS_DEFAULT_REGION); required
#   --parameters     CloudFormation parameters, [{"ParameterKey": ..., "ParameterValue": ...}] (default:
#                    parameters.json beside this script); CodeBucket is required, CodeKey is set here
#   --skip-build     use the jar already in target/ (also ATTUNE_SKIP_BUILD=1)
#   --skip-restore   start without restoring the latest snapshot (a fresh start; state is lost)
# Needs: bash, the AWS CLI (v2), Maven and Java 17 (for the build), and jq or python3 (to read the parameters).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

dry_run=false
skip_build="${ATTUNE_SKIP_BUILD:-0}"
restore=RESTORE_FROM_LATEST_SNAPSHOT
stack="${ATTUNE_STACK_NAME:-attune}"
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
parameters="$here/parameters.json"

die() {
  echo "deploy.sh: $*" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=true ;;
    --skip-build) skip_build=1 ;;
    --skip-restore) restore=SKIP_RESTORE_FROM_SNAPSHOT ;;
    --stack-name) [ $# -ge 2 ] || die "--stack-name needs a value"; stack="$2"; shift ;;
    --stack-name=*) stack="${1#*=}" ;;
    --region) [ $# -ge 2 ] || die "--region needs a value"; region="$2"; shift ;;
    --region=*) region="${1#*=}" ;;
    --parameters) [ $# -ge 2 ] || die "--parameters needs a file"; parameters="$2"; shift ;;
    --parameters=*) parameters="${1#*=}" ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done

# ---- Required settings, checked before anything runs
[ -n "$region" ] || die "no AWS region: pass --region REGION or set AWS_REGION"
[[ "$region" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || die "'$region' is not an AWS region such as eu-west-1"
[[ "$stack" =~ ^[A-Za-z][A-Za-z0-9-]{0,127}$ ]] || die "'$stack' is not a CloudFormation stack name"
[ -f "$parameters" ] || die "parameters file '$parameters' not found (pass --parameters FILE)"

# Parameters as KEY=VALUE lines, from the CloudFormation parameters file.
if command -v jq >/dev/null 2>&1; then
  pairs="$(jq -r '.[] | "\(.ParameterKey)=\(.ParameterValue)"' "$parameters")" \
    || die "cannot read '$parameters': expected [{\"ParameterKey\": ..., \"ParameterValue\": ...}]"
elif command -v python3 >/dev/null 2>&1; then
  pairs="$(python3 -c 'import json,sys
for p in json.load(open(sys.argv[1])): print("%s=%s" % (p["ParameterKey"], p["ParameterValue"]))' "$parameters")" \
    || die "cannot read '$parameters': expected [{\"ParameterKey\": ..., \"ParameterValue\": ...}]"
else
  die "jq or python3 is needed to read '$parameters'"
fi

param() { # the value of parameter $1, or empty
  local line
  while IFS= read -r line; do
    if [ "${line%%=*}" = "$1" ]; then
      printf '%s' "${line#*=}"
      return 0
    fi
  done <<<"$pairs"
}

code_bucket="$(param CodeBucket)"
[ -n "$code_bucket" ] || die "parameter CodeBucket is missing in '$parameters': the S3 bucket the jar is uploaded to"
[[ "$code_bucket" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || die "CodeBucket '$code_bucket' is not an S3 bucket name"
app_name="$(param ApplicationName)"
app_name="${app_name:-attune}"
if [ -n "$(param CodeKey)" ]; then
  die "do not set CodeKey in '$parameters': deploy.sh sets it from the jar's hash"
fi

# ---- Commands: run them, or print them with --dry-run
quote() { # $1 as a shell word: as is when plain, else in single quotes
  if [[ "$1" =~ ^[A-Za-z0-9_./:=@,+%-]+$ ]]; then
    printf '%s' "$1"
  else
    printf "'%s'" "${1//\'/\'\\\'\'}"
  fi
}

run() {
  if $dry_run; then
    printf '+'
    for word in "$@"; do
      printf ' %s' "$(quote "$word")"
    done
    printf '\n'
  else
    "$@"
  fi
}

if ! $dry_run; then
  command -v aws >/dev/null 2>&1 || die "the AWS CLI (aws) is not on the PATH"
fi

# 1. Build
jar="$root/target/attune-cluster.jar"
if [ "$skip_build" = 1 ]; then
  echo "deploy.sh: build skipped; using $jar" >&2
else
  if ! $dry_run; then
    command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is not on the PATH; build the jar or pass --skip-build"
  fi
  (cd "$root" && run mvn -q -DskipTests package)
fi
if [ -f "$jar" ]; then
  hash="$(sha256sum "$jar" 2>/dev/null || shasum -a 256 "$jar")"
  hash="${hash:0:12}"
elif $dry_run; then
  hash="DRYRUN000000"
  echo "deploy.sh: $jar not built (dry run): the key below uses a placeholder hash" >&2
else
  die "$jar is missing: the build did not produce it"
fi
code_key="attune/attune-cluster-$hash.jar"

# 2. Upload
run aws s3 cp "$jar" "s3://$code_bucket/$code_key" --region "$region"

# 3. Create or update the stack (the role is unnamed: CAPABILITY_IAM is enough)
overrides=()
while IFS= read -r line; do
  [ -n "$line" ] && overrides+=("$line")
done <<<"$pairs"
overrides+=("CodeKey=$code_key")
run aws cloudformation deploy \
  --region "$region" \
  --stack-name "$stack" \
  --template-file "$here/template.yaml" \
  --capabilities CAPABILITY_IAM \
  --no-fail-on-empty-changeset \
  --parameter-overrides "${overrides[@]}"

# 4. Start the application unless it runs already (a running application was updated in place by step 3,
#    from a snapshot Managed Flink takes first).
run_configuration="{\"ApplicationRestoreConfiguration\":{\"ApplicationRestoreType\":\"$restore\"},\"FlinkRunConfiguration\":{\"AllowNonRestoredState\":false}}"
if $dry_run; then
  run aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='ApplicationName'].OutputValue" --output text
  run aws kinesisanalyticsv2 describe-application --region "$region" --application-name "$app_name" \
    --query ApplicationDetail.ApplicationStatus --output text
  run aws kinesisanalyticsv2 start-application --region "$region" --application-name "$app_name" \
    --run-configuration "$run_configuration"
  echo "deploy.sh: dry run: nothing was built, uploaded, deployed or started" >&2
  exit 0
fi

app_name="$(aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
  --query "Stacks[0].Outputs[?OutputKey=='ApplicationName'].OutputValue" --output text)"
status="$(aws kinesisanalyticsv2 describe-application --region "$region" --application-name "$app_name" \
  --query ApplicationDetail.ApplicationStatus --output text)"
case "$status" in
  READY)
    aws kinesisanalyticsv2 start-application --region "$region" --application-name "$app_name" \
      --run-configuration "$run_configuration"
    echo "deploy.sh: starting $app_name ($restore); follow it with:" >&2
    echo "  aws kinesisanalyticsv2 describe-application --region $region --application-name $app_name --query ApplicationDetail.ApplicationStatus" >&2
    ;;
  RUNNING|UPDATING|AUTOSCALING)
    echo "deploy.sh: $app_name is $status; the stack update applied the new code and settings in place" >&2
    ;;
  *)
    die "$app_name is $status; start it when it is READY: aws kinesisanalyticsv2 start-application --region $region --application-name $app_name --run-configuration '$run_configuration'"
    ;;
esac
