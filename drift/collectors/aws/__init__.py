"""AWS collectors (SSM, Secrets Manager, ECS, Lambda); boto3 is imported only when they run."""
