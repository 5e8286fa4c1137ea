CREATE TABLE `indicator_crosswalk` (
	`from_family` text NOT NULL,
	`from_code` text NOT NULL,
	`to_family` text NOT NULL,
	`to_code` text NOT NULL,
	`relation` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`from_family`, `from_code`, `to_family`, `to_code`),
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `indicator_crosswalk_to` ON `indicator_crosswalk` (`to_family`,`to_code`);--> statement-breakpoint
CREATE TABLE `indicator_framework_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`framework_id` text NOT NULL,
	`version` text NOT NULL,
	`title_en` text NOT NULL,
	`title_es` text NOT NULL,
	`effective_date` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`framework_id`) REFERENCES `indicator_frameworks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `indicator_framework_versions_version` ON `indicator_framework_versions` (`framework_id`,`version`);--> statement-breakpoint
CREATE TABLE `indicator_frameworks` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`title_en` text NOT NULL,
	`title_es` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `indicator_goals` (
	`version_id` text NOT NULL,
	`code` text NOT NULL,
	`title_en` text,
	`title_es` text,
	PRIMARY KEY(`version_id`, `code`),
	FOREIGN KEY (`version_id`) REFERENCES `indicator_framework_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `indicator_targets` (
	`version_id` text NOT NULL,
	`code` text NOT NULL,
	`goal_code` text NOT NULL,
	`title_en` text,
	`title_es` text,
	PRIMARY KEY(`version_id`, `code`),
	FOREIGN KEY (`version_id`) REFERENCES `indicator_framework_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `indicators` (
	`id` text PRIMARY KEY NOT NULL,
	`version_id` text NOT NULL,
	`code` text NOT NULL,
	`goal_code` text NOT NULL,
	`targets` text NOT NULL,
	`title_en` text NOT NULL,
	`title_es` text NOT NULL,
	`tier` text,
	`custodians` text NOT NULL,
	`unit` text,
	`series_codes` text NOT NULL,
	`group_en` text,
	`group_es` text,
	`complementary` integer DEFAULT false NOT NULL,
	`created_by` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`version_id`) REFERENCES `indicator_framework_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `indicators_version_code` ON `indicators` (`version_id`,`code`);--> statement-breakpoint
CREATE TABLE `subject_indicators` (
	`group_id` text NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`indicator_id` text NOT NULL,
	`position` integer NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`subject_kind`, `subject_id`, `indicator_id`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`indicator_id`) REFERENCES `indicators`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `subject_indicators_by_indicator` ON `subject_indicators` (`indicator_id`,`group_id`,`subject_kind`,`subject_id`);--> statement-breakpoint
CREATE INDEX `subject_indicators_by_group` ON `subject_indicators` (`group_id`,`indicator_id`);--> statement-breakpoint
-- The MDG list of 2008 (server/features/reference/mdg-indicators.json) and its crosswalk to the SDGs (domain/crosswalk.ts).
INSERT INTO `indicator_frameworks` (id, kind, title_en, title_es, created_by, created_at) VALUES ('MDG', 'global', 'Millennium Development Goals', 'Objetivos de Desarrollo del Milenio', NULL, 1200355200000), ('SDG', 'global', 'Sustainable Development Goals', 'Objetivos de Desarrollo Sostenible', NULL, 1200355200000);--> statement-breakpoint
INSERT INTO `indicator_framework_versions` (id, framework_id, version, title_en, title_es, effective_date, created_by, created_at) VALUES ('mdg-2008', 'MDG', '2008', 'Millennium Development Goals (official list of 2008)', 'Objetivos de Desarrollo del Milenio (lista oficial de 2008)', '2008-01-15', NULL, 1200355200000);--> statement-breakpoint
INSERT INTO `indicator_goals` (version_id, code, title_en, title_es) VALUES
  ('mdg-2008', '1', 'Goal 1: Eradicate extreme poverty and hunger', 'Objetivo 1: Erradicar la pobreza extrema y el hambre'),
  ('mdg-2008', '2', 'Goal 2: Achieve universal primary education', 'Objetivo 2: Lograr la enseñanza primaria universal'),
  ('mdg-2008', '3', 'Goal 3: Promote gender equality and empower women', 'Objetivo 3: Promover la igualdad entre los sexos y el empoderamiento de la mujer'),
  ('mdg-2008', '4', 'Goal 4: Reduce child mortality', 'Objetivo 4: Reducir la mortalidad de los niños menores de 5 años'),
  ('mdg-2008', '5', 'Goal 5: Improve maternal health', 'Objetivo 5: Mejorar la salud materna'),
  ('mdg-2008', '6', 'Goal 6: Combat HIV/AIDS, malaria and other diseases', 'Objetivo 6: Combatir el VIH/SIDA, el paludismo y otras enfermedades'),
  ('mdg-2008', '7', 'Goal 7: Ensure environmental sustainability', 'Objetivo 7: Garantizar la sostenibilidad del medio ambiente'),
  ('mdg-2008', '8', 'Goal 8: Develop a global partnership for development', 'Objetivo 8: Fomentar una alianza mundial para el desarrollo');--> statement-breakpoint
INSERT INTO `indicator_targets` (version_id, code, goal_code, title_en, title_es) VALUES
  ('mdg-2008', '1.A', '1', 'Halve, between 1990 and 2015, the proportion of people whose income is less than one dollar a day', 'Reducir a la mitad, entre 1990 y 2015, el porcentaje de personas cuyos ingresos sean inferiores a 1 dólar por día'),
  ('mdg-2008', '1.B', '1', 'Achieve full and productive employment and decent work for all, including women and young people', 'Alcanzar empleo pleno y productivo, y trabajo decente para todos, incluyendo mujeres y jóvenes'),
  ('mdg-2008', '1.C', '1', 'Halve, between 1990 and 2015, the proportion of people who suffer from hunger', 'Reducir a la mitad, entre 1990 y 2015, el porcentaje de personas que padecen de hambre'),
  ('mdg-2008', '2.A', '2', 'Ensure that, by 2015, children everywhere, boys and girls alike, will be able to complete a full course of primary schooling', 'Asegurar que, para el año 2015, los niños y niñas de todo el mundo puedan terminar un ciclo completo de enseñanza primaria'),
  ('mdg-2008', '3.A', '3', 'Eliminate gender disparity in primary and secondary education, preferably by 2005, and in all levels of education no later than 2015', 'Eliminar las desigualdades entre los géneros en la enseñanza primaria y secundaria, preferiblemente para el año 2005, y en todos los niveles de la enseñanza antes de finales de 2015'),
  ('mdg-2008', '4.A', '4', 'Reduce by two-thirds, between 1990 and 2015, the under-five mortality rate', 'Reducir en dos terceras partes, entre 1990 y 2015, la mortalidad de los niños menores de 5 años'),
  ('mdg-2008', '5.A', '5', 'Reduce by three quarters, between 1990 and 2015, the maternal mortality ratio', 'Reducir, entre 1990 y 2015, la mortalidad materna en tres cuartas partes'),
  ('mdg-2008', '5.B', '5', 'Achieve, by 2015, universal access to reproductive health', 'Lograr, para el año 2015, el acceso universal a la salud reproductiva'),
  ('mdg-2008', '6.A', '6', 'Have halted by 2015 and begun to reverse the spread of HIV/AIDS', 'Haber detenido y comenzado a reducir, para el año 2015, la propagación del VIH/SIDA'),
  ('mdg-2008', '6.B', '6', 'Achieve, by 2010, universal access to treatment for HIV/AIDS for all those who need it', 'Lograr, para 2010, el acceso universal al tratamiento del VIH/SIDA para todas las personas que lo necesiten'),
  ('mdg-2008', '6.C', '6', 'Have halted by 2015 and begun to reverse the incidence of malaria and other major diseases', 'Haber detenido y comenzado a reducir, para el año 2015, la incidencia del paludismo y otras enfermedades graves'),
  ('mdg-2008', '7.A', '7', 'Integrate the principles of sustainable development into country policies and programmes and reverse the loss of environmental resources', 'Incorporar los principios del desarrollo sostenible en las políticas y los programas nacionales y reducir la pérdida de recursos del medio ambiente'),
  ('mdg-2008', '7.B', '7', 'Reduce biodiversity loss, achieving, by 2010, a significant reduction in the rate of loss', 'Reducir la pérdida de biodiversidad, alcanzando, para el año 2010, una reducción significativa de la tasa de pérdida'),
  ('mdg-2008', '7.C', '7', 'Halve, by 2015, the proportion of people without sustainable access to safe drinking water and basic sanitation', 'Reducir a la mitad, para el año 2015, el porcentaje de personas sin acceso sostenible al agua potable y a servicios básicos de saneamiento'),
  ('mdg-2008', '7.D', '7', 'By 2020, to have achieved a significant improvement in the lives of at least 100 million slum dwellers', 'Haber mejorado considerablemente, para el año 2020, la vida de por lo menos 100 millones de habitantes de tugurios'),
  ('mdg-2008', '8.A', '8', 'Develop further an open, rule-based, predictable, non-discriminatory trading and financial system (includes a commitment to good governance, development and poverty reduction – both nationally and internationally)', 'Desarrollar aún más un sistema comercial y financiero abierto, basado en normas, previsible y no discriminatorio (incluye el compromiso de lograr una buena gestión de los asuntos públicos, el desarrollo y la reducción de la pobreza, en cada país y en el plano internacional)'),
  ('mdg-2008', '8.B', '8', 'Address the special needs of the least developed countries (includes: tariff and quota free access for the least developed countries'' exports; enhanced programme of debt relief for heavily indebted poor countries (HIPC) and cancellation of official bilateral debt; and more generous ODA for countries committed to poverty reduction)', 'Atender las necesidades especiales de los países menos adelantados (incluye el acceso libre de aranceles y cupos de las exportaciones de los países menos adelantados; el programa mejorado de alivio de la deuda de los países pobres muy endeudados (PPME) y la cancelación de la deuda bilateral oficial, y la concesión de una asistencia oficial para el desarrollo más generosa a los países que hayan expresado su determinación de reducir la pobreza)'),
  ('mdg-2008', '8.C', '8', 'Address the special needs of landlocked developing countries and small island developing States (through the Programme of Action for the Sustainable Development of Small Island Developing States and the outcome of the twenty-second special session of the General Assembly)', 'Atender las necesidades especiales de los países en desarrollo sin litoral y de los pequeños Estados insulares en desarrollo (mediante el Programa de Acción para el desarrollo sostenible de los pequeños Estados insulares en desarrollo y los resultados del vigésimo segundo período extraordinario de sesiones de la Asamblea General)'),
  ('mdg-2008', '8.D', '8', 'Deal comprehensively with the debt problems of developing countries through national and international measures in order to make debt sustainable in the long term', 'Encarar de manera general los problemas de la deuda de los países en desarrollo con medidas nacionales e internacionales a fin de hacer la deuda sostenible a largo plazo'),
  ('mdg-2008', '8.E', '8', 'In cooperation with pharmaceutical companies, provide access to affordable essential drugs in developing countries', 'En cooperación con las empresas farmacéuticas, proporcionar acceso a los medicamentos esenciales en los países en desarrollo a precios asequibles'),
  ('mdg-2008', '8.F', '8', 'In cooperation with the private sector, make available the benefits of new technologies, especially information and communications', 'En colaboración con el sector privado, velar por que se puedan aprovechar los beneficios de las nuevas tecnologías, en particular de las tecnologías de la información y de las comunicaciones');--> statement-breakpoint
INSERT INTO `indicators` (id, version_id, code, goal_code, targets, title_en, title_es, tier, custodians, unit, series_codes, group_en, group_es, complementary, created_by, updated_at) VALUES
  ('mdg-2008:1.1', 'mdg-2008', '1.1', '1', '["1.A"]', 'Proportion of population below $1 (PPP) per day', 'Proporción de la población con ingresos inferiores a 1 dólar PPA por día', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:1.2', 'mdg-2008', '1.2', '1', '["1.A"]', 'Poverty gap ratio', 'Coeficiente de la brecha de pobreza', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:1.3', 'mdg-2008', '1.3', '1', '["1.A"]', 'Share of poorest quintile in national consumption', 'Proporción del consumo nacional que corresponde al quintil más pobre de la población', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:1.4', 'mdg-2008', '1.4', '1', '["1.B"]', 'Growth rate of GDP per person employed', 'Tasa de crecimiento del PIB por persona empleada', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:1.5', 'mdg-2008', '1.5', '1', '["1.B"]', 'Employment-to-population ratio', 'Relación empleo-población', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:1.6', 'mdg-2008', '1.6', '1', '["1.B"]', 'Proportion of employed people living below $1 (PPP) per day', 'Proporción de la población ocupada con ingresos inferiores a 1 dólar PPA por día', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:1.7', 'mdg-2008', '1.7', '1', '["1.B"]', 'Proportion of own-account and contributing family workers in total employment', 'Proporción de la población ocupada que trabaja por cuenta propia o en una empresa familiar', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:1.8', 'mdg-2008', '1.8', '1', '["1.C"]', 'Prevalence of underweight children under-five years of age', 'Proporción de niños menores de 5 años con insuficiencia ponderal', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:1.9', 'mdg-2008', '1.9', '1', '["1.C"]', 'Proportion of population below minimum level of dietary energy consumption', 'Proporción de la población por debajo del nivel mínimo de consumo de energía alimentaria', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:2.1', 'mdg-2008', '2.1', '2', '["2.A"]', 'Net enrolment ratio in primary education', 'Tasa neta de matrícula en la enseñanza primaria', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:2.2', 'mdg-2008', '2.2', '2', '["2.A"]', 'Proportion of pupils starting grade 1 who reach last grade of primary', 'Proporción de alumnos que comienzan el primer grado y llegan al último grado de la enseñanza primaria', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:2.3', 'mdg-2008', '2.3', '2', '["2.A"]', 'Literacy rate of 15-24 year-olds, women and men', 'Tasa de alfabetización de las personas de 15 a 24 años, mujeres y hombres', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:3.1', 'mdg-2008', '3.1', '3', '["3.A"]', 'Ratios of girls to boys in primary, secondary and tertiary education', 'Relación entre niñas y niños en la enseñanza primaria, secundaria y superior', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:3.2', 'mdg-2008', '3.2', '3', '["3.A"]', 'Share of women in wage employment in the non-agricultural sector', 'Proporción de mujeres en el empleo asalariado en el sector no agrícola', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:3.3', 'mdg-2008', '3.3', '3', '["3.A"]', 'Proportion of seats held by women in national parliament', 'Proporción de escaños ocupados por mujeres en el parlamento nacional', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:4.1', 'mdg-2008', '4.1', '4', '["4.A"]', 'Under-five mortality rate', 'Tasa de mortalidad de los niños menores de 5 años', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:4.2', 'mdg-2008', '4.2', '4', '["4.A"]', 'Infant mortality rate', 'Tasa de mortalidad infantil', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:4.3', 'mdg-2008', '4.3', '4', '["4.A"]', 'Proportion of 1 year-old children immunised against measles', 'Proporción de niños de 1 año vacunados contra el sarampión', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:5.1', 'mdg-2008', '5.1', '5', '["5.A"]', 'Maternal mortality ratio', 'Razón de mortalidad materna', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:5.2', 'mdg-2008', '5.2', '5', '["5.A"]', 'Proportion of births attended by skilled health personnel', 'Proporción de partos con asistencia de personal sanitario especializado', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:5.3', 'mdg-2008', '5.3', '5', '["5.B"]', 'Contraceptive prevalence rate', 'Tasa de uso de anticonceptivos', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:5.4', 'mdg-2008', '5.4', '5', '["5.B"]', 'Adolescent birth rate', 'Tasa de natalidad entre las adolescentes', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:5.5', 'mdg-2008', '5.5', '5', '["5.B"]', 'Antenatal care coverage (at least one visit and at least four visits)', 'Cobertura de atención prenatal (al menos una consulta y al menos cuatro consultas)', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:5.6', 'mdg-2008', '5.6', '5', '["5.B"]', 'Unmet need for family planning', 'Necesidades insatisfechas en materia de planificación familiar', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:6.1', 'mdg-2008', '6.1', '6', '["6.A"]', 'HIV prevalence among population aged 15-24 years', 'Prevalencia del VIH entre las personas de 15 a 24 años', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:6.2', 'mdg-2008', '6.2', '6', '["6.A"]', 'Condom use at last high-risk sex', 'Uso de preservativos en la última relación sexual de alto riesgo', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:6.3', 'mdg-2008', '6.3', '6', '["6.A"]', 'Proportion of population aged 15-24 years with comprehensive correct knowledge of HIV/AIDS', 'Proporción de la población de 15 a 24 años que tiene conocimientos amplios y correctos sobre el VIH/SIDA', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:6.4', 'mdg-2008', '6.4', '6', '["6.A"]', 'Ratio of school attendance of orphans to school attendance of non-orphans aged 10-14 years', 'Relación entre la asistencia escolar de niños huérfanos y la de niños no huérfanos de 10 a 14 años', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:6.5', 'mdg-2008', '6.5', '6', '["6.B"]', 'Proportion of population with advanced HIV infection with access to antiretroviral drugs', 'Proporción de la población portadora del VIH con infección avanzada que tiene acceso a medicamentos antirretrovirales', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:6.6', 'mdg-2008', '6.6', '6', '["6.C"]', 'Incidence and death rates associated with malaria', 'Tasas de incidencia y mortalidad asociadas al paludismo', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:6.7', 'mdg-2008', '6.7', '6', '["6.C"]', 'Proportion of children under 5 sleeping under insecticide-treated bednets', 'Proporción de niños menores de 5 años que duermen protegidos por mosquiteros impregnados de insecticida', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:6.8', 'mdg-2008', '6.8', '6', '["6.C"]', 'Proportion of children under 5 with fever who are treated with appropriate anti-malarial drugs', 'Proporción de niños menores de 5 años con fiebre que reciben tratamiento con los medicamentos adecuados contra el paludismo', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:6.9', 'mdg-2008', '6.9', '6', '["6.C"]', 'Incidence, prevalence and death rates associated with tuberculosis', 'Tasas de incidencia, prevalencia y mortalidad asociadas a la tuberculosis', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:6.10', 'mdg-2008', '6.10', '6', '["6.C"]', 'Proportion of tuberculosis cases detected and cured under directly observed treatment short course', 'Proporción de casos de tuberculosis detectados y curados con el tratamiento breve bajo observación directa', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:7.1', 'mdg-2008', '7.1', '7', '["7.A","7.B"]', 'Proportion of land area covered by forest', 'Proporción de la superficie cubierta por bosques', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:7.2', 'mdg-2008', '7.2', '7', '["7.A","7.B"]', 'CO2 emissions, total, per capita and per $1 GDP (PPP)', 'Emisiones de dióxido de carbono (CO2), totales, per cápita y por cada dólar del PIB (PPA)', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:7.3', 'mdg-2008', '7.3', '7', '["7.A","7.B"]', 'Consumption of ozone-depleting substances', 'Consumo de sustancias que agotan la capa de ozono', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:7.4', 'mdg-2008', '7.4', '7', '["7.A","7.B"]', 'Proportion of fish stocks within safe biological limits', 'Proporción de poblaciones de peces que están dentro de límites biológicos seguros', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:7.5', 'mdg-2008', '7.5', '7', '["7.A","7.B"]', 'Proportion of total water resources used', 'Proporción del total de recursos hídricos utilizada', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:7.6', 'mdg-2008', '7.6', '7', '["7.A","7.B"]', 'Proportion of terrestrial and marine areas protected', 'Proporción de las zonas terrestres y marinas protegidas', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:7.7', 'mdg-2008', '7.7', '7', '["7.A","7.B"]', 'Proportion of species threatened with extinction', 'Proporción de especies en peligro de extinción', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:7.8', 'mdg-2008', '7.8', '7', '["7.C"]', 'Proportion of population using an improved drinking water source', 'Proporción de la población que utiliza fuentes mejoradas de abastecimiento de agua potable', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:7.9', 'mdg-2008', '7.9', '7', '["7.C"]', 'Proportion of population using an improved sanitation facility', 'Proporción de la población que utiliza servicios de saneamiento mejorados', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:7.10', 'mdg-2008', '7.10', '7', '["7.D"]', 'Proportion of urban population living in slums', 'Proporción de la población urbana que vive en tugurios', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:8.1', 'mdg-2008', '8.1', '8', '["8.A","8.B","8.C","8.D"]', 'Net ODA, total and to the least developed countries, as percentage of OECD/DAC donors'' gross national income', 'AOD neta, total y para los países menos adelantados, en porcentaje del ingreso nacional bruto de los países donantes del Comité de Asistencia para el Desarrollo (CAD) de la OCDE', NULL, '[]', NULL, '[]', 'Official development assistance (ODA)', 'Asistencia oficial para el desarrollo (AOD)', 0, NULL, 1200355200000),
  ('mdg-2008:8.2', 'mdg-2008', '8.2', '8', '["8.A","8.B","8.C","8.D"]', 'Proportion of total bilateral, sector-allocable ODA of OECD/DAC donors to basic social services (basic education, primary health care, nutrition, safe water and sanitation)', 'Proporción del total de la AOD bilateral y por sectores que los donantes del CAD de la OCDE destinan a servicios sociales básicos (enseñanza básica, atención primaria de la salud, nutrición, agua potable y saneamiento)', NULL, '[]', NULL, '[]', 'Official development assistance (ODA)', 'Asistencia oficial para el desarrollo (AOD)', 0, NULL, 1200355200000),
  ('mdg-2008:8.3', 'mdg-2008', '8.3', '8', '["8.A","8.B","8.C","8.D"]', 'Proportion of bilateral official development assistance of OECD/DAC donors that is untied', 'Proporción de la AOD bilateral de los donantes del CAD de la OCDE que no está condicionada', NULL, '[]', NULL, '[]', 'Official development assistance (ODA)', 'Asistencia oficial para el desarrollo (AOD)', 0, NULL, 1200355200000),
  ('mdg-2008:8.4', 'mdg-2008', '8.4', '8', '["8.A","8.B","8.C","8.D"]', 'ODA received in landlocked developing countries as a proportion of their gross national incomes', 'AOD recibida por los países en desarrollo sin litoral en proporción a su ingreso nacional bruto', NULL, '[]', NULL, '[]', 'Official development assistance (ODA)', 'Asistencia oficial para el desarrollo (AOD)', 0, NULL, 1200355200000),
  ('mdg-2008:8.5', 'mdg-2008', '8.5', '8', '["8.A","8.B","8.C","8.D"]', 'ODA received in small island developing States as a proportion of their gross national incomes', 'AOD recibida por los pequeños Estados insulares en desarrollo en proporción a su ingreso nacional bruto', NULL, '[]', NULL, '[]', 'Official development assistance (ODA)', 'Asistencia oficial para el desarrollo (AOD)', 0, NULL, 1200355200000),
  ('mdg-2008:8.6', 'mdg-2008', '8.6', '8', '["8.A","8.B","8.C","8.D"]', 'Proportion of total developed country imports (by value and excluding arms) from developing countries and least developed countries, admitted free of duty', 'Proporción del total de importaciones de los países desarrollados (por su valor y sin incluir armamentos) procedentes de países en desarrollo y países menos adelantados, admitidas libres de derechos', NULL, '[]', NULL, '[]', 'Market access', 'Acceso a los mercados', 0, NULL, 1200355200000),
  ('mdg-2008:8.7', 'mdg-2008', '8.7', '8', '["8.A","8.B","8.C","8.D"]', 'Average tariffs imposed by developed countries on agricultural products and textiles and clothing from developing countries', 'Aranceles medios aplicados por los países desarrollados a los productos agrícolas y textiles y a las prendas de vestir procedentes de países en desarrollo', NULL, '[]', NULL, '[]', 'Market access', 'Acceso a los mercados', 0, NULL, 1200355200000),
  ('mdg-2008:8.8', 'mdg-2008', '8.8', '8', '["8.A","8.B","8.C","8.D"]', 'Agricultural support estimate for OECD countries as a percentage of their gross domestic product', 'Estimación de la ayuda agrícola de los países de la OCDE en porcentaje de su producto interno bruto', NULL, '[]', NULL, '[]', 'Market access', 'Acceso a los mercados', 0, NULL, 1200355200000),
  ('mdg-2008:8.9', 'mdg-2008', '8.9', '8', '["8.A","8.B","8.C","8.D"]', 'Proportion of ODA provided to help build trade capacity', 'Proporción de la AOD destinada a fomentar la capacidad comercial', NULL, '[]', NULL, '[]', 'Market access', 'Acceso a los mercados', 0, NULL, 1200355200000),
  ('mdg-2008:8.10', 'mdg-2008', '8.10', '8', '["8.A","8.B","8.C","8.D"]', 'Total number of countries that have reached their HIPC decision points and number that have reached their HIPC completion points (cumulative)', 'Número total de países que han alcanzado el punto de decisión y número total de países que han alcanzado el punto de culminación en la Iniciativa para los países pobres muy endeudados (PPME) (acumulativo)', NULL, '[]', NULL, '[]', 'Debt sustainability', 'Sostenibilidad de la deuda', 0, NULL, 1200355200000),
  ('mdg-2008:8.11', 'mdg-2008', '8.11', '8', '["8.A","8.B","8.C","8.D"]', 'Debt relief committed under HIPC and MDRI Initiatives', 'Alivio de la deuda comprometido conforme a la Iniciativa para los PPME y la Iniciativa para el Alivio de la Deuda Multilateral (IADM)', NULL, '[]', NULL, '[]', 'Debt sustainability', 'Sostenibilidad de la deuda', 0, NULL, 1200355200000),
  ('mdg-2008:8.12', 'mdg-2008', '8.12', '8', '["8.A","8.B","8.C","8.D"]', 'Debt service as a percentage of exports of goods and services', 'Servicio de la deuda como porcentaje de las exportaciones de bienes y servicios', NULL, '[]', NULL, '[]', 'Debt sustainability', 'Sostenibilidad de la deuda', 0, NULL, 1200355200000),
  ('mdg-2008:8.13', 'mdg-2008', '8.13', '8', '["8.E"]', 'Proportion of population with access to affordable essential drugs on a sustainable basis', 'Proporción de la población con acceso sostenible a medicamentos esenciales a precios asequibles', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:8.14', 'mdg-2008', '8.14', '8', '["8.F"]', 'Telephone lines per 100 population', 'Líneas de teléfono fijo por cada 100 habitantes', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:8.15', 'mdg-2008', '8.15', '8', '["8.F"]', 'Cellular subscribers per 100 population', 'Abonados a teléfonos celulares por cada 100 habitantes', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000),
  ('mdg-2008:8.16', 'mdg-2008', '8.16', '8', '["8.F"]', 'Internet users per 100 population', 'Usuarios de Internet por cada 100 habitantes', NULL, '[]', NULL, '[]', NULL, NULL, 0, NULL, 1200355200000);--> statement-breakpoint
INSERT INTO `indicator_crosswalk` (from_family, from_code, to_family, to_code, relation, created_by, created_at) VALUES
  ('MDG', '1.1', 'SDG', '1.1.1', 'related', NULL, 1200355200000),
  ('MDG', '1.9', 'SDG', '2.1.1', 'equivalent', NULL, 1200355200000),
  ('MDG', '3.3', 'SDG', '5.5.1', 'related', NULL, 1200355200000),
  ('MDG', '4.1', 'SDG', '3.2.1', 'equivalent', NULL, 1200355200000),
  ('MDG', '5.1', 'SDG', '3.1.1', 'equivalent', NULL, 1200355200000),
  ('MDG', '5.2', 'SDG', '3.1.2', 'equivalent', NULL, 1200355200000),
  ('MDG', '7.8', 'SDG', '6.1.1', 'related', NULL, 1200355200000);--> statement-breakpoint
-- The indicator codes of threads and documents move to the join table, in the order they had.
INSERT INTO `subject_indicators` (group_id, subject_kind, subject_id, indicator_id, position, created_by, created_at)
  SELECT t.group_id, 'thread', t.id, 'mdg-2008:' || j.value, j.key, t.author_id, t.created_at FROM `threads` t, json_each(t.indicator_codes) j WHERE true
  ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO `subject_indicators` (group_id, subject_kind, subject_id, indicator_id, position, created_by, created_at)
  SELECT d.group_id, 'document', d.id, 'mdg-2008:' || j.value, j.key, d.created_by, d.created_at FROM `documents` d, json_each(d.indicator_codes) j WHERE true
  ON CONFLICT DO NOTHING;--> statement-breakpoint
ALTER TABLE `threads` DROP COLUMN `indicator_codes`;--> statement-breakpoint
ALTER TABLE `documents` DROP COLUMN `indicator_codes`;