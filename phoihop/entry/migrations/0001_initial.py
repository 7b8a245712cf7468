"""The models that lived in ``activities`` until the split, declared here on their own tables
(``db_table``): nothing changes in the database. Their content types follow them, so admin log
entries and anything else keyed by content type keep pointing at the same rows."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED = ['indicatorvalue', 'entrylock', 'historicalindicatorvalue', 'historicalentrylock']


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label="entry", model=model).exists():
            content_type.objects.filter(app_label="activities", model=model).update(app_label="entry")


def return_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="entry", model__in=MOVED).update(app_label="activities")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('activities', '0003_unit_note_base'),
        ('orgunits', '0002_depth_path_index'),
        ('programmes', '0002_historicalprogramme_activity_approval_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalEntryLock',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('start', models.DateField(verbose_name='từ ngày')),
                        ('end', models.DateField(verbose_name='đến ngày')),
                        ('reason', models.CharField(blank=True, max_length=500, verbose_name='căn cứ khóa')),
                        ('locked_at', models.DateTimeField(blank=True, editable=False, verbose_name='khóa lúc')),
                        ('reopened_at', models.DateTimeField(blank=True, null=True, verbose_name='mở lại lúc')),
                        ('reopen_reason', models.TextField(blank=True, verbose_name='lý do mở lại')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('locked_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người khóa')),
                        ('reopened_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người mở lại')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgunits.orgunit', verbose_name='đơn vị')),
                    ],
                    options={
                        'verbose_name': 'historical khóa nhập liệu',
                        'verbose_name_plural': 'historical khóa nhập liệu',
                        'db_table': 'activities_historicalentrylock',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalIndicatorValue',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='ngày tính')),
                        ('period_start', models.DateField(blank=True, null=True, verbose_name='kỳ từ ngày')),
                        ('value', models.BigIntegerField(validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(1000000000000)], verbose_name='giá trị')),
                        ('counted', models.BooleanField(default=False, verbose_name='đã gửi')),
                        ('approved', models.BooleanField(default=False, verbose_name='đã duyệt')),
                        ('note', models.CharField(blank=True, max_length=500, verbose_name='ghi chú')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('activity', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='activities.activity', verbose_name='hoạt động')),
                        ('entered_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người nhập')),
                        ('entered_by_unit', models.ForeignKey(blank=True, db_constraint=False, help_text='Đơn vị cấp trên đã nhập số liệu thay cho đơn vị (nếu có).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgunits.orgunit', verbose_name='cấp trên nhập thay')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('indicator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.indicator', verbose_name='chỉ tiêu')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgunits.orgunit', verbose_name='đơn vị')),
                    ],
                    options={
                        'verbose_name': 'historical số liệu chỉ tiêu',
                        'verbose_name_plural': 'historical số liệu chỉ tiêu',
                        'db_table': 'activities_historicalindicatorvalue',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='EntryLock',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('start', models.DateField(verbose_name='từ ngày')),
                        ('end', models.DateField(verbose_name='đến ngày')),
                        ('reason', models.CharField(blank=True, max_length=500, verbose_name='căn cứ khóa')),
                        ('locked_at', models.DateTimeField(auto_now_add=True, verbose_name='khóa lúc')),
                        ('reopened_at', models.DateTimeField(blank=True, null=True, verbose_name='mở lại lúc')),
                        ('reopen_reason', models.TextField(blank=True, verbose_name='lý do mở lại')),
                        ('locked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người khóa')),
                        ('reopened_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người mở lại')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entry_locks', to='orgunits.orgunit', verbose_name='đơn vị')),
                    ],
                    options={
                        'verbose_name': 'khóa nhập liệu',
                        'verbose_name_plural': 'khóa nhập liệu',
                        'db_table': 'activities_entrylock',
                        'ordering': ['-end', 'unit'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('end__gte', models.F('start'))), name='entrylock_date_range')],
                    },
                ),
                migrations.CreateModel(
                    name='IndicatorValue',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='ngày tính')),
                        ('period_start', models.DateField(blank=True, null=True, verbose_name='kỳ từ ngày')),
                        ('value', models.BigIntegerField(validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(1000000000000)], verbose_name='giá trị')),
                        ('counted', models.BooleanField(default=False, verbose_name='đã gửi')),
                        ('approved', models.BooleanField(default=False, verbose_name='đã duyệt')),
                        ('note', models.CharField(blank=True, max_length=500, verbose_name='ghi chú')),
                        ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='values', to='activities.activity', verbose_name='hoạt động')),
                        ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người nhập')),
                        ('entered_by_unit', models.ForeignKey(blank=True, help_text='Đơn vị cấp trên đã nhập số liệu thay cho đơn vị (nếu có).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgunits.orgunit', verbose_name='cấp trên nhập thay')),
                        ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='programmes.indicator', verbose_name='chỉ tiêu')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgunits.orgunit', verbose_name='đơn vị')),
                    ],
                    options={
                        'verbose_name': 'số liệu chỉ tiêu',
                        'verbose_name_plural': 'số liệu chỉ tiêu',
                        'db_table': 'activities_indicatorvalue',
                        'indexes': [models.Index(fields=['unit', 'indicator', 'date'], name='value_unit_ind_date')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('activity__isnull', False)), fields=('activity', 'indicator'), name='value_activity_indicator'), models.UniqueConstraint(condition=models.Q(('activity__isnull', True)), fields=('unit', 'indicator', 'period_start', 'date'), name='value_entered_period'), models.CheckConstraint(condition=models.Q(('value__gte', 0)), name='value_not_negative'), models.CheckConstraint(condition=models.Q(('activity__isnull', False), ('period_start__isnull', False), _connector='OR'), name='value_entered_has_period')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, return_content_types),
    ]
