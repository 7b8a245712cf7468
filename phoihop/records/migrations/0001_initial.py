"""The models that lived in ``activities`` until the split, declared here on their own tables
(``db_table``): nothing changes in the database. Their content types follow them, so admin log
entries and anything else keyed by content type keep pointing at the same rows."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED = ['practicemodel', 'replication', 'exchange', 'exchangerecipient', 'lesson', 'proposal', 'historicalpracticemodel', 'historicalreplication', 'historicalexchange', 'historicallesson', 'historicalproposal']


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label="records", model=model).exists():
            content_type.objects.filter(app_label="activities", model=model).update(app_label="records")


def return_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="records", model__in=MOVED).update(app_label="activities")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('orgunits', '0002_depth_path_index'),
        ('programmes', '0002_historicalprogramme_activity_approval_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Exchange',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('notice', 'Thông báo'), ('quick', 'Báo cáo nhanh'), ('briefing', 'Trao đổi, giao ban')], default='notice', max_length=10, verbose_name='loại')),
                        ('subject', models.CharField(max_length=500, verbose_name='trích yếu')),
                        ('body', models.TextField(verbose_name='nội dung')),
                        ('sent_at', models.DateTimeField(auto_now_add=True, verbose_name='gửi lúc')),
                        ('search_text', models.CharField(db_index=True, default='', editable=False, max_length=1200)),
                        ('phase', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='exchanges', to='programmes.phase', verbose_name='giai đoạn')),
                        ('sender', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sent_exchanges', to='orgunits.orgunit', verbose_name='đơn vị gửi')),
                        ('sent_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người gửi')),
                    ],
                    options={
                        'verbose_name': 'trao đổi thông tin',
                        'verbose_name_plural': 'trao đổi thông tin',
                        'db_table': 'activities_exchange',
                        'ordering': ['-sent_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ExchangeRecipient',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='đã đọc lúc')),
                        ('exchange', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='records.exchange')),
                        ('read_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người đọc')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgunits.orgunit', verbose_name='đơn vị nhận')),
                    ],
                    options={
                        'verbose_name': 'nơi nhận',
                        'verbose_name_plural': 'nơi nhận',
                        'db_table': 'activities_exchangerecipient',
                    },
                ),
                migrations.AddField(
                    model_name='exchange',
                    name='recipients',
                    field=models.ManyToManyField(related_name='received_exchanges', through='records.ExchangeRecipient', to='orgunits.orgunit', verbose_name='nơi nhận'),
                ),
                migrations.CreateModel(
                    name='HistoricalExchange',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('notice', 'Thông báo'), ('quick', 'Báo cáo nhanh'), ('briefing', 'Trao đổi, giao ban')], default='notice', max_length=10, verbose_name='loại')),
                        ('subject', models.CharField(max_length=500, verbose_name='trích yếu')),
                        ('body', models.TextField(verbose_name='nội dung')),
                        ('sent_at', models.DateTimeField(blank=True, editable=False, verbose_name='gửi lúc')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('phase', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.phase', verbose_name='giai đoạn')),
                        ('sender', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgunits.orgunit', verbose_name='đơn vị gửi')),
                        ('sent_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người gửi')),
                    ],
                    options={
                        'verbose_name': 'historical trao đổi thông tin',
                        'verbose_name_plural': 'historical trao đổi thông tin',
                        'db_table': 'activities_historicalexchange',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalLesson',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(max_length=500, verbose_name='tiêu đề')),
                        ('content', models.TextField(verbose_name='nội dung')),
                        ('recorded_on', models.DateField(verbose_name='ngày ghi nhận')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('field', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.field', verbose_name='lĩnh vực')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('phase', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.phase', verbose_name='giai đoạn')),
                        ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người ghi')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgunits.orgunit', verbose_name='đơn vị')),
                    ],
                    options={
                        'verbose_name': 'historical bài học kinh nghiệm',
                        'verbose_name_plural': 'historical bài học kinh nghiệm',
                        'db_table': 'activities_historicallesson',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalPracticeModel',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=500, verbose_name='tên mô hình')),
                        ('started_on', models.DateField(verbose_name='ngày bắt đầu')),
                        ('description', models.TextField(blank=True, verbose_name='mô tả')),
                        ('results', models.TextField(blank=True, verbose_name='kết quả')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('field', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.field', verbose_name='lĩnh vực')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('origin_unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgunits.orgunit', verbose_name='đơn vị xây dựng')),
                        ('phase', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.phase', verbose_name='giai đoạn')),
                    ],
                    options={
                        'verbose_name': 'historical mô hình',
                        'verbose_name_plural': 'historical mô hình',
                        'db_table': 'activities_historicalpracticemodel',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalProposal',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(max_length=500, verbose_name='tiêu đề')),
                        ('horizon', models.CharField(choices=[('period', 'Kỳ tới'), ('phase', 'Giai đoạn tới')], default='period', max_length=8, verbose_name='đề xuất cho')),
                        ('content', models.TextField(verbose_name='phương hướng, nhiệm vụ đề xuất')),
                        ('recorded_on', models.DateField(verbose_name='ngày đề xuất')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('field', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.field', verbose_name='lĩnh vực')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('phase', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.phase', verbose_name='giai đoạn')),
                        ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người ghi')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgunits.orgunit', verbose_name='đơn vị')),
                    ],
                    options={
                        'verbose_name': 'historical đề xuất phương hướng, nhiệm vụ',
                        'verbose_name_plural': 'historical đề xuất phương hướng, nhiệm vụ',
                        'db_table': 'activities_historicalproposal',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Lesson',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=500, verbose_name='tiêu đề')),
                        ('search_text', models.CharField(db_index=True, default='', editable=False, max_length=1200)),
                        ('content', models.TextField(verbose_name='nội dung')),
                        ('recorded_on', models.DateField(verbose_name='ngày ghi nhận')),
                        ('field', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='programmes.field', verbose_name='lĩnh vực')),
                        ('phase', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='programmes.phase', verbose_name='giai đoạn')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người ghi')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='orgunits.orgunit', verbose_name='đơn vị')),
                    ],
                    options={
                        'verbose_name': 'bài học kinh nghiệm',
                        'verbose_name_plural': 'bài học kinh nghiệm',
                        'db_table': 'activities_lesson',
                        'ordering': ['-recorded_on', '-pk'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='PracticeModel',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=500, verbose_name='tên mô hình')),
                        ('started_on', models.DateField(verbose_name='ngày bắt đầu')),
                        ('description', models.TextField(blank=True, verbose_name='mô tả')),
                        ('results', models.TextField(blank=True, verbose_name='kết quả')),
                        ('search_text', models.CharField(db_index=True, default='', editable=False, max_length=1200)),
                        ('field', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='programmes.field', verbose_name='lĩnh vực')),
                        ('origin_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='practice_models', to='orgunits.orgunit', verbose_name='đơn vị xây dựng')),
                        ('phase', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='practice_models', to='programmes.phase', verbose_name='giai đoạn')),
                    ],
                    options={
                        'verbose_name': 'mô hình',
                        'verbose_name_plural': 'mô hình',
                        'db_table': 'activities_practicemodel',
                        'ordering': ['-started_on', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalReplication',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('replicated_on', models.DateField(verbose_name='ngày nhân rộng')),
                        ('note', models.CharField(blank=True, max_length=500, verbose_name='ghi chú')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgunits.orgunit', verbose_name='đơn vị nhân rộng')),
                        ('model', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='records.practicemodel', verbose_name='mô hình')),
                    ],
                    options={
                        'verbose_name': 'historical nhân rộng mô hình',
                        'verbose_name_plural': 'historical nhân rộng mô hình',
                        'db_table': 'activities_historicalreplication',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Proposal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=500, verbose_name='tiêu đề')),
                        ('search_text', models.CharField(db_index=True, default='', editable=False, max_length=1200)),
                        ('horizon', models.CharField(choices=[('period', 'Kỳ tới'), ('phase', 'Giai đoạn tới')], default='period', max_length=8, verbose_name='đề xuất cho')),
                        ('content', models.TextField(verbose_name='phương hướng, nhiệm vụ đề xuất')),
                        ('recorded_on', models.DateField(verbose_name='ngày đề xuất')),
                        ('field', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='programmes.field', verbose_name='lĩnh vực')),
                        ('phase', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='programmes.phase', verbose_name='giai đoạn')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người ghi')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='orgunits.orgunit', verbose_name='đơn vị')),
                    ],
                    options={
                        'verbose_name': 'đề xuất phương hướng, nhiệm vụ',
                        'verbose_name_plural': 'đề xuất phương hướng, nhiệm vụ',
                        'db_table': 'activities_proposal',
                        'ordering': ['-recorded_on', '-pk'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='Replication',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('replicated_on', models.DateField(verbose_name='ngày nhân rộng')),
                        ('note', models.CharField(blank=True, max_length=500, verbose_name='ghi chú')),
                        ('model', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='replications', to='records.practicemodel', verbose_name='mô hình')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgunits.orgunit', verbose_name='đơn vị nhân rộng')),
                    ],
                    options={
                        'verbose_name': 'nhân rộng mô hình',
                        'verbose_name_plural': 'nhân rộng mô hình',
                        'db_table': 'activities_replication',
                        'ordering': ['replicated_on', 'pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='exchangerecipient',
                    constraint=models.UniqueConstraint(fields=('exchange', 'unit'), name='exchangerecipient_unique'),
                ),
                migrations.AddConstraint(
                    model_name='replication',
                    constraint=models.UniqueConstraint(fields=('model', 'unit'), name='replication_unique'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, return_content_types),
    ]
