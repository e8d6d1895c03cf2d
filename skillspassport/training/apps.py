from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "skillspassport.training"
    label = "training"
    verbose_name = "Training delivery"
