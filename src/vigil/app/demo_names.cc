#include "vigil/app/demo_names.h"

#include <cstddef>
#include <iterator>

namespace vigil::demo {
namespace {

// ---------------------------------------------------------------------------
// Hispanic (MX, HN, SV, CU, VE, CO, EC, NI, DO, PE, BO, ...)

constexpr NameEntry kHispanicMale[] = {
    {"José", "", 60},      {"Juan", "", 45},      {"Luis", "", 30},         {"Carlos", "", 30},
    {"Jesús", "", 20},     {"Miguel", "", 20},    {"Francisco", "", 18},    {"Jorge", "", 18},
    {"Pedro", "", 15},     {"Manuel", "", 15},    {"Antonio", "", 15},      {"Alejandro", "", 12},
    {"Mario", "", 12},     {"Fernando", "", 10},  {"Javier", "", 12},       {"Ricardo", "", 8},
    {"Roberto", "", 10},   {"Eduardo", "", 8},    {"Daniel", "", 10},       {"David", "", 8},
    {"Óscar", "", 8},      {"Sergio", "", 8},     {"Raúl", "", 6},          {"Rafael", "", 6},
    {"Ángel", "", 8},      {"Héctor", "", 6},     {"Víctor", "", 8},        {"Rubén", "", 5},
    {"Julio", "", 6},      {"Martín", "", 5},     {"Marco Antonio", "", 5}, {"Juan Carlos", "", 8},
    {"José Luis", "", 10}, {"Juan Pablo", "", 4}, {"Guillermo", "", 5},     {"Enrique", "", 5},
    {"Alberto", "", 5},    {"Arturo", "", 5},     {"Ramón", "", 5},         {"Andrés", "", 5},
    {"Gerardo", "", 4},    {"Gustavo", "", 4},    {"Armando", "", 4},       {"Salvador", "", 4},
    {"Hugo", "", 4},       {"Ignacio", "", 3},    {"Gregorio", "", 2},      {"Cristian", "", 4},
    {"Kevin", "", 4},      {"Brayan", "", 3},     {"Wilmer", "", 4},        {"Edwin", "", 4},
    {"Nelson", "", 3},     {"Walter", "", 3},     {"Marvin", "", 3},        {"Elmer", "", 3},
    {"Santos", "", 3},     {"Erick", "", 3},      {"Anderson", "", 2},      {"Yeison", "", 2},
    {"Jhon", "", 2},       {"Ezequiel", "", 2},   {"Ismael", "", 3},        {"Esteban", "", 3},
    {"Efraín", "", 2},     {"Moisés", "", 3},     {"Abraham", "", 2},       {"Diego", "", 5},
    {"Santiago", "", 3},   {"Emiliano", "", 2},   {"Mateo", "", 2},         {"Joel", "", 3},
    {"Omar", "", 4},       {"Adrián", "", 4},     {"Iván", "", 3},          {"Alfredo", "", 3},
    {"Agustín", "", 2},    {"Néstor", "", 2},     {"Germán", "", 2},        {"Samuel", "", 3},
    {"Fidel", "", 1},
};

constexpr NameEntry kHispanicFemale[] = {
    {"María", "", 60},
    {"María José", "", 8},
    {"María del Carmen", "", 6},
    {"María de los Ángeles", "", 4},
    {"María Guadalupe", "", 5},
    {"Ana", "", 15},
    {"Rosa", "", 12},
    {"Guadalupe", "", 10},
    {"Carmen", "", 8},
    {"Juana", "", 8},
    {"Margarita", "", 6},
    {"Verónica", "", 5},
    {"Patricia", "", 6},
    {"Leticia", "", 5},
    {"Elizabeth", "", 5},
    {"Claudia", "", 6},
    {"Gabriela", "", 6},
    {"Alejandra", "", 6},
    {"Sofía", "", 4},
    {"Valeria", "", 4},
    {"Daniela", "", 5},
    {"Andrea", "", 5},
    {"Fernanda", "", 3},
    {"Adriana", "", 5},
    {"Lucía", "", 4},
    {"Marta", "", 4},
    {"Silvia", "", 5},
    {"Yolanda", "", 4},
    {"Teresa", "", 5},
    {"Dolores", "", 3},
    {"Rosario", "", 3},
    {"Mercedes", "", 3},
    {"Concepción", "", 2},
    {"Esperanza", "", 3},
    {"Araceli", "", 3},
    {"Yesenia", "", 4},
    {"Karla", "", 4},
    {"Wendy", "", 3},
    {"Sandra", "", 5},
    {"Gloria", "", 4},
    {"Reina", "", 3},
    {"Marisol", "", 3},
    {"Dulce", "", 3},
    {"Jazmín", "", 3},
    {"Ingrid", "", 3},
    {"Lesly", "", 2},
    {"Kimberly", "", 2},
    {"Heidy", "", 2},
    {"Nayeli", "", 2},
    {"Itzel", "", 2},
    {"Ximena", "", 2},
    {"Paola", "", 3},
    {"Mónica", "", 4},
    {"Cecilia", "", 3},
    {"Beatriz", "", 3},
    {"Irma", "", 3},
    {"Norma", "", 3},
    {"Blanca", "", 3},
    {"Luz", "", 3},
    {"Estela", "", 2},
    {"Ángela", "", 3},
    {"Isabel", "", 4},
    {"Inés", "", 2},
    {"Natalia", "", 3},
    {"Mariela", "", 3},
    {"Consuelo", "", 2},
    {"Graciela", "", 2},
};

constexpr NameEntry kHispanicFamily[] = {
    {"Hernández", "", 40}, {"García", "", 38},    {"Martínez", "", 32},  {"López", "", 32},
    {"González", "", 30},  {"Pérez", "", 26},     {"Rodríguez", "", 28}, {"Sánchez", "", 22},
    {"Ramírez", "", 22},   {"Cruz", "", 15},      {"Flores", "", 18},    {"Gómez", "", 16},
    {"Morales", "", 14},   {"Vásquez", "", 10},   {"Reyes", "", 14},     {"Jiménez", "", 10},
    {"Torres", "", 12},    {"Díaz", "", 12},      {"Gutiérrez", "", 10}, {"Ruiz", "", 9},
    {"Mendoza", "", 10},   {"Aguilar", "", 9},    {"Ortiz", "", 8},      {"Moreno", "", 8},
    {"Castillo", "", 8},   {"Romero", "", 8},     {"Álvarez", "", 8},    {"Méndez", "", 8},
    {"Chávez", "", 8},     {"Rivera", "", 10},    {"Juárez", "", 6},     {"Ramos", "", 8},
    {"Domínguez", "", 6},  {"Herrera", "", 6},    {"Medina", "", 6},     {"Castro", "", 6},
    {"Vargas", "", 6},     {"Guzmán", "", 5},     {"Velásquez", "", 5},  {"Muñoz", "", 5},
    {"Rojas", "", 5},      {"Contreras", "", 5},  {"Salazar", "", 5},    {"Luna", "", 4},
    {"Ortega", "", 5},     {"Santiago", "", 4},   {"Guerrero", "", 4},   {"Estrada", "", 4},
    {"Bautista", "", 4},   {"Cortés", "", 4},     {"Soto", "", 4},       {"Alvarado", "", 5},
    {"Espinoza", "", 4},   {"Lara", "", 4},       {"Ávila", "", 4},      {"Ríos", "", 4},
    {"Cervantes", "", 3},  {"Silva", "", 4},      {"Delgado", "", 4},    {"Vega", "", 4},
    {"Márquez", "", 3},    {"Sandoval", "", 3},   {"Carrillo", "", 3},   {"León", "", 3},
    {"Mejía", "", 5},      {"Solís", "", 3},      {"Núñez", "", 4},      {"Rosales", "", 3},
    {"Fuentes", "", 3},    {"Peña", "", 4},       {"Ibarra", "", 3},     {"Valdez", "", 3},
    {"Cabrera", "", 3},    {"Navarro", "", 3},    {"Campos", "", 3},     {"Maldonado", "", 3},
    {"Escobar", "", 3},    {"Zelaya", "", 3},     {"Orellana", "", 3},   {"Cáceres", "", 2},
    {"Argueta", "", 2},    {"Pineda", "", 3},     {"Osorio", "", 2},     {"Cardona", "", 2},
    {"Villatoro", "", 1},  {"Montoya", "", 2},    {"Quintero", "", 2},   {"Benítez", "", 2},
    {"Acosta", "", 3},     {"Paz", "", 2},        {"Figueroa", "", 3},   {"Zúñiga", "", 2},
    {"Trejo", "", 2},      {"Ochoa", "", 2},      {"de la Cruz", "", 5}, {"De León", "", 4},
    {"del Río", "", 2},    {"de la Rosa", "", 2}, {"de Jesús", "", 2},   {"de la Torre", "", 1},
    {"Del Valle", "", 1},
};

// Guatemala: the common Hispanic surnames plus Mayan (K'iche', Q'eqchi',
// Kaqchikel, Mam) surnames.
constexpr NameEntry kGuatemalanFamily[] = {
    {"López", "", 30},    {"Pérez", "", 30},     {"García", "", 25},    {"Hernández", "", 22},
    {"González", "", 22}, {"Ramírez", "", 15},   {"Morales", "", 15},   {"Rodríguez", "", 12},
    {"Martínez", "", 12}, {"Méndez", "", 10},    {"Juárez", "", 10},    {"Gómez", "", 10},
    {"Sánchez", "", 10},  {"Chávez", "", 9},     {"Cruz", "", 9},       {"Ramos", "", 8},
    {"Vásquez", "", 8},   {"Castillo", "", 8},   {"Reyes", "", 7},      {"Orozco", "", 6},
    {"Fuentes", "", 5},   {"Díaz", "", 5},       {"Velásquez", "", 6},  {"Escobar", "", 4},
    {"Ortiz", "", 4},     {"Aguilar", "", 5},    {"Mejía", "", 4},      {"Alvarado", "", 4},
    {"Tzoc", "", 3},      {"Ixcoy", "", 2},      {"Cux", "", 2},        {"Ajú", "", 2},
    {"Xicará", "", 1},    {"Tzul", "", 2},       {"Coc", "", 3},        {"Caal", "", 3},
    {"Choc", "", 3},      {"Pop", "", 2},        {"Tiul", "", 2},       {"Quej", "", 1},
    {"Xol", "", 2},       {"Chub", "", 2},       {"Ical", "", 1},       {"Cuc", "", 1},
    {"Sicán", "", 1},     {"Yat", "", 1},        {"Batz", "", 1},       {"Tum", "", 2},
    {"Chiquín", "", 1},   {"Cac", "", 1},        {"Maquín", "", 1},     {"Bol", "", 2},
    {"Tzunux", "", 1},    {"Ixcot", "", 1},      {"Chanchavac", "", 1}, {"Us", "", 1},
    {"De León", "", 4},   {"de la Cruz", "", 3},
};

// ---------------------------------------------------------------------------
// Brazil

constexpr NameEntry kBrazilianMale[] = {
    {"João", "", 20},       {"José", "", 10},       {"Antônio", "", 8},
    {"Francisco", "", 6},   {"Carlos", "", 8},      {"Paulo", "", 8},
    {"Pedro", "", 8},       {"Lucas", "", 10},      {"Luiz", "", 6},
    {"Marcos", "", 8},      {"Luís", "", 4},        {"Gabriel", "", 8},
    {"Rafael", "", 6},      {"Daniel", "", 5},      {"Marcelo", "", 6},
    {"Bruno", "", 6},       {"Eduardo", "", 5},     {"Felipe", "", 5},
    {"Rodrigo", "", 6},     {"Thiago", "", 6},      {"Matheus", "", 5},
    {"Gustavo", "", 4},     {"Leonardo", "", 4},    {"Fábio", "", 4},
    {"Diego", "", 3},       {"Wellington", "", 3},  {"Anderson", "", 3},
    {"Washington", "", 2},  {"Cleiton", "", 2},     {"Júlio", "", 2},
    {"Sérgio", "", 3},      {"Roberto", "", 3},     {"João Pedro", "", 4},
    {"João Victor", "", 3}, {"Luiz Carlos", "", 3}, {"Marcos Vinícius", "", 2},
};

constexpr NameEntry kBrazilianFemale[] = {
    {"Maria", "", 25},    {"Ana", "", 15},          {"Francisca", "", 5}, {"Antônia", "", 4},
    {"Adriana", "", 5},   {"Juliana", "", 6},       {"Márcia", "", 5},    {"Fernanda", "", 6},
    {"Patrícia", "", 5},  {"Aline", "", 5},         {"Sandra", "", 4},    {"Camila", "", 6},
    {"Amanda", "", 5},    {"Bruna", "", 5},         {"Jéssica", "", 5},   {"Letícia", "", 4},
    {"Júlia", "", 4},     {"Luciana", "", 4},       {"Vanessa", "", 4},   {"Mariana", "", 4},
    {"Gabriela", "", 4},  {"Beatriz", "", 3},       {"Larissa", "", 3},   {"Raquel", "", 3},
    {"Ana Clara", "", 3}, {"Maria Eduarda", "", 3}, {"Ana Paula", "", 4}, {"Conceição", "", 2},
    {"Rosângela", "", 2}, {"Cláudia", "", 3},
};

constexpr NameEntry kBrazilianFamily[] = {
    {"Silva", "", 40},        {"Santos", "", 30},      {"Oliveira", "", 20},
    {"Souza", "", 18},        {"Rodrigues", "", 14},   {"Ferreira", "", 14},
    {"Alves", "", 13},        {"Pereira", "", 12},     {"Lima", "", 12},
    {"Gomes", "", 11},        {"Costa", "", 10},       {"Ribeiro", "", 10},
    {"Martins", "", 10},      {"Carvalho", "", 9},     {"Almeida", "", 8},
    {"Lopes", "", 8},         {"Soares", "", 7},       {"Fernandes", "", 7},
    {"Vieira", "", 7},        {"Barbosa", "", 7},      {"Rocha", "", 6},
    {"Dias", "", 6},          {"Nascimento", "", 6},   {"Andrade", "", 5},
    {"Moreira", "", 5},       {"Nunes", "", 5},        {"Marques", "", 5},
    {"Machado", "", 5},       {"Mendes", "", 5},       {"Freitas", "", 5},
    {"Cardoso", "", 4},       {"Ramos", "", 4},        {"Gonçalves", "", 5},
    {"Santana", "", 4},       {"Teixeira", "", 4},     {"Araújo", "", 5},
    {"Pinto", "", 3},         {"Correia", "", 3},      {"Cavalcanti", "", 2},
    {"Monteiro", "", 2},      {"Moura", "", 3},        {"Batista", "", 3},
    {"da Silva", "", 20},     {"dos Santos", "", 14},  {"de Souza", "", 8},
    {"de Oliveira", "", 6},   {"da Costa", "", 4},     {"de Jesus", "", 4},
    {"do Nascimento", "", 3}, {"da Conceição", "", 2},
};

// ---------------------------------------------------------------------------
// Haiti

constexpr NameEntry kHaitianMale[] = {
    {"Jean", "", 25},       {"Pierre", "", 12},     {"Jean-Baptiste", "", 6},
    {"Jean Robert", "", 4}, {"Jean Claude", "", 5}, {"Jean-Pierre", "", 4},
    {"Joseph", "", 10},     {"Louis", "", 6},       {"Emmanuel", "", 6},
    {"Wilson", "", 4},      {"Mackenson", "", 3},   {"Jameson", "", 2},
    {"Wesner", "", 2},      {"Jean Marc", "", 3},   {"Peterson", "", 3},
    {"Ricardo", "", 3},     {"Frantz", "", 3},      {"Fritz", "", 3},
    {"Jacques", "", 4},     {"Rony", "", 2},        {"Wilner", "", 2},
    {"Evens", "", 3},       {"Stevenson", "", 2},   {"Dieudonné", "", 3},
    {"Frednel", "", 1},     {"Junior", "", 3},      {"Widlin", "", 1},
    {"Kervens", "", 2},     {"Johnson", "", 2},     {"Roodly", "", 1},
    {"Guerby", "", 1},      {"Réginald", "", 2},
};

constexpr NameEntry kHaitianFemale[] = {
    {"Marie", "", 25},     {"Marie Claude", "", 4}, {"Marie-Carmel", "", 3}, {"Rose", "", 6},
    {"Roseline", "", 3},   {"Fabiola", "", 3},      {"Nadège", "", 3},       {"Guerline", "", 3},
    {"Wideline", "", 2},   {"Mirlande", "", 2},     {"Myrlande", "", 2},     {"Claudette", "", 3},
    {"Mireille", "", 3},   {"Jocelyne", "", 2},     {"Nathalie", "", 3},     {"Sabine", "", 2},
    {"Esther", "", 3},     {"Judith", "", 2},       {"Darline", "", 2},      {"Fedeline", "", 1},
    {"Islande", "", 1},    {"Ketia", "", 2},        {"Lovely", "", 2},       {"Medjine", "", 1},
    {"Sherline", "", 2},   {"Taïna", "", 1},        {"Naomie", "", 2},       {"Stéphanie", "", 3},
    {"Marie Ange", "", 2}, {"Micheline", "", 2},
};

constexpr NameEntry kHaitianFamily[] = {
    {"Joseph", "", 20},   {"Jean", "", 16},         {"Pierre", "", 16},     {"Louis", "", 12},
    {"Charles", "", 10},  {"Jean-Baptiste", "", 8}, {"Jean-Louis", "", 5},  {"Paul", "", 8},
    {"Baptiste", "", 5},  {"Étienne", "", 4},       {"Désir", "", 4},       {"François", "", 5},
    {"Michel", "", 5},    {"Augustin", "", 4},      {"Saint-Fleur", "", 3}, {"Saint-Louis", "", 4},
    {"Dorvil", "", 2},    {"Alexis", "", 4},        {"Noël", "", 3},        {"Georges", "", 4},
    {"Célestin", "", 3},  {"Toussaint", "", 3},     {"Philippe", "", 3},    {"Cadet", "", 3},
    {"Thélusma", "", 2},  {"Dorsainvil", "", 2},    {"Jeune", "", 2},       {"Fils-Aimé", "", 2},
    {"Bien-Aimé", "", 2}, {"Lafortune", "", 2},     {"Estimé", "", 2},      {"Exantus", "", 2},
    {"Laguerre", "", 2},  {"Delva", "", 2},         {"Simon", "", 3},       {"Métellus", "", 1},
};

// ---------------------------------------------------------------------------
// India (many Punjabi and Gujarati names)

constexpr NameEntry kIndianMale[] = {
    {"Gurpreet", "", 10},  {"Harpreet", "", 8}, {"Manpreet", "", 6}, {"Jaspreet", "", 5},
    {"Sukhwinder", "", 4}, {"Amandeep", "", 6}, {"Navdeep", "", 4},  {"Gurjit", "", 3},
    {"Rajesh", "", 5},     {"Ramesh", "", 4},   {"Suresh", "", 4},   {"Mahesh", "", 3},
    {"Rahul", "", 6},      {"Amit", "", 6},     {"Vijay", "", 5},    {"Sanjay", "", 5},
    {"Sunil", "", 5},      {"Anil", "", 4},     {"Ravi", "", 5},     {"Deepak", "", 4},
    {"Manoj", "", 4},      {"Ashok", "", 3},    {"Vikram", "", 3},   {"Arjun", "", 3},
    {"Rohit", "", 4},      {"Nikhil", "", 3},   {"Pradeep", "", 3},  {"Hardik", "", 3},
    {"Jignesh", "", 3},    {"Ketan", "", 2},    {"Bhavesh", "", 3},  {"Chirag", "", 3},
    {"Mohit", "", 3},      {"Ankit", "", 3},    {"Karan", "", 3},    {"Sandeep", "", 4},
    {"Kuldeep", "", 3},
};

constexpr NameEntry kIndianFemale[] = {
    {"Priya", "", 6},    {"Pooja", "", 6},    {"Anjali", "", 5}, {"Neha", "", 5},
    {"Sunita", "", 4},   {"Kavita", "", 4},   {"Rekha", "", 3},  {"Harpreet", "", 4},
    {"Manpreet", "", 4}, {"Jaspreet", "", 3}, {"Simran", "", 4}, {"Navneet", "", 3},
    {"Kiran", "", 4},    {"Deepika", "", 3},  {"Divya", "", 4},  {"Meena", "", 3},
    {"Geeta", "", 3},    {"Lakshmi", "", 3},  {"Asha", "", 3},   {"Komal", "", 3},
    {"Nisha", "", 3},    {"Payal", "", 2},    {"Ruchi", "", 2},  {"Sneha", "", 3},
    {"Shweta", "", 3},   {"Hetal", "", 2},    {"Krupa", "", 2},  {"Bhavna", "", 2},
};

constexpr NameEntry kIndianFamily[] = {
    {"Singh", "", 40},  {"Patel", "", 25},    {"Kumar", "", 15},    {"Sharma", "", 12},
    {"Shah", "", 6},    {"Gupta", "", 5},     {"Verma", "", 4},     {"Yadav", "", 4},
    {"Reddy", "", 4},   {"Sandhu", "", 5},    {"Sidhu", "", 4},     {"Gill", "", 5},
    {"Dhillon", "", 4}, {"Grewal", "", 3},    {"Brar", "", 3},      {"Mehta", "", 4},
    {"Desai", "", 3},   {"Chaudhary", "", 4}, {"Thakur", "", 3},    {"Joshi", "", 3},
    {"Rao", "", 3},     {"Mishra", "", 3},    {"Pandey", "", 3},    {"Mann", "", 3},
    {"Virk", "", 2},    {"Bains", "", 2},     {"Chauhan", "", 3},   {"Parmar", "", 3},
    {"Solanki", "", 2}, {"Rathod", "", 2},    {"Prajapati", "", 2},
};

// Sikh women are usually recorded as Kaur where men are Singh.
constexpr NameEntry kIndianFemaleFamily[] = {
    {"Kaur", "", 40},   {"Patel", "", 25},    {"Kumari", "", 15},   {"Sharma", "", 12},
    {"Shah", "", 6},    {"Gupta", "", 5},     {"Verma", "", 4},     {"Yadav", "", 4},
    {"Reddy", "", 4},   {"Sandhu", "", 5},    {"Sidhu", "", 4},     {"Gill", "", 5},
    {"Dhillon", "", 4}, {"Grewal", "", 3},    {"Brar", "", 3},      {"Mehta", "", 4},
    {"Desai", "", 3},   {"Chaudhary", "", 4}, {"Thakur", "", 3},    {"Joshi", "", 3},
    {"Rao", "", 3},     {"Mishra", "", 3},    {"Pandey", "", 3},    {"Mann", "", 3},
    {"Virk", "", 2},    {"Bains", "", 2},     {"Chauhan", "", 3},   {"Parmar", "", 3},
    {"Solanki", "", 2}, {"Rathod", "", 2},    {"Prajapati", "", 2},
};

// ---------------------------------------------------------------------------
// China: characters with Pinyin (note 徐 and 许 are both "Xu").

constexpr NameEntry kChineseMale[] = {
    {"伟", "Wei", 8},       {"强", "Qiang", 5},      {"磊", "Lei", 5},
    {"军", "Jun", 5},       {"勇", "Yong", 5},       {"杰", "Jie", 4},
    {"涛", "Tao", 4},       {"明", "Ming", 4},       {"超", "Chao", 4},
    {"建华", "Jianhua", 4}, {"志强", "Zhiqiang", 4}, {"俊杰", "Junjie", 3},
    {"浩然", "Haoran", 3},  {"建国", "Jianguo", 3},  {"文斌", "Wenbin", 2},
    {"海峰", "Haifeng", 2}, {"永康", "Yongkang", 2}, {"家豪", "Jiahao", 2},
    {"子轩", "Zixuan", 2},  {"宇航", "Yuhang", 2},   {"国强", "Guoqiang", 2},
    {"鹏", "Peng", 3},      {"斌", "Bin", 3},        {"辉", "Hui", 3},
};

constexpr NameEntry kChineseFemale[] = {
    {"秀英", "Xiuying", 8}, {"芳", "Fang", 6},      {"娜", "Na", 5},         {"敏", "Min", 5},
    {"静", "Jing", 6},      {"丽", "Li", 5},        {"艳", "Yan", 4},        {"娟", "Juan", 3},
    {"霞", "Xia", 3},       {"玲", "Ling", 3},      {"桂英", "Guiying", 4},  {"秀兰", "Xiulan", 3},
    {"丽华", "Lihua", 3},   {"美玲", "Meiling", 3}, {"婷婷", "Tingting", 3}, {"雪梅", "Xuemei", 3},
    {"晓燕", "Xiaoyan", 3}, {"欣怡", "Xinyi", 2},   {"梓涵", "Zihan", 2},    {"慧", "Hui", 3},
    {"红", "Hong", 3},
};

constexpr NameEntry kChineseFamily[] = {
    {"王", "Wang", 20}, {"李", "Li", 20},   {"张", "Zhang", 18}, {"刘", "Liu", 14},
    {"陈", "Chen", 14}, {"杨", "Yang", 8},  {"黄", "Huang", 7},  {"赵", "Zhao", 7},
    {"吴", "Wu", 6},    {"周", "Zhou", 6},  {"徐", "Xu", 5},     {"孙", "Sun", 5},
    {"马", "Ma", 5},    {"朱", "Zhu", 4},   {"胡", "Hu", 4},     {"郭", "Guo", 4},
    {"何", "He", 4},    {"林", "Lin", 6},   {"郑", "Zheng", 5},  {"高", "Gao", 3},
    {"罗", "Luo", 3},   {"梁", "Liang", 3}, {"宋", "Song", 2},   {"谢", "Xie", 2},
    {"唐", "Tang", 2},  {"韩", "Han", 2},   {"曹", "Cao", 2},    {"许", "Xu", 2},
};

// ---------------------------------------------------------------------------
// Viet Nam: given entries are middle name + given name.

constexpr NameEntry kVietnameseMale[] = {
    {"Văn Hùng", "", 5},  {"Văn Dũng", "", 4},   {"Văn Nam", "", 4},    {"Văn Minh", "", 4},
    {"Văn Thành", "", 3}, {"Đức Anh", "", 4},    {"Minh Tuấn", "", 4},  {"Quốc Bảo", "", 3},
    {"Hữu Phước", "", 2}, {"Văn Long", "", 3},   {"Thanh Tùng", "", 3}, {"Công Danh", "", 2},
    {"Quang Huy", "", 3}, {"Hoàng Long", "", 2}, {"Văn Tâm", "", 3},    {"Minh Khoa", "", 2},
    {"Đình Phúc", "", 2}, {"Văn Sơn", "", 2},
};

constexpr NameEntry kVietnameseFemale[] = {
    {"Thị Hương", "", 5}, {"Thị Lan", "", 4},    {"Thị Mai", "", 4},  {"Thị Hoa", "", 3},
    {"Thị Thu", "", 3},   {"Ngọc Anh", "", 4},   {"Thị Hằng", "", 3}, {"Thị Linh", "", 3},
    {"Thị Trang", "", 3}, {"Thu Hà", "", 3},     {"Kim Ngân", "", 2}, {"Bảo Ngọc", "", 2},
    {"Thị Nga", "", 2},   {"Thị Phương", "", 3}, {"Thị Yến", "", 2},  {"Thị Thảo", "", 3},
};

constexpr NameEntry kVietnameseFamily[] = {
    {"Nguyễn", "", 40}, {"Trần", "", 12},  {"Lê", "", 10},  {"Phạm", "", 8}, {"Hoàng", "", 5},
    {"Huỳnh", "", 5},   {"Phan", "", 4},   {"Vũ", "", 4},   {"Võ", "", 4},   {"Đặng", "", 3},
    {"Bùi", "", 3},     {"Đỗ", "", 3},     {"Hồ", "", 3},   {"Ngô", "", 3},  {"Dương", "", 2},
    {"Lý", "", 2},      {"Trương", "", 2}, {"Đinh", "", 2},
};

// ---------------------------------------------------------------------------
// Russia: Cyrillic with the common Latin transliteration.

constexpr NameEntry kRussianMale[] = {
    {"Александр", "Aleksandr", 10}, {"Сергей", "Sergey", 8},     {"Дмитрий", "Dmitry", 8},
    {"Андрей", "Andrey", 7},        {"Алексей", "Aleksey", 7},   {"Максим", "Maksim", 6},
    {"Евгений", "Yevgeny", 5},      {"Иван", "Ivan", 6},         {"Михаил", "Mikhail", 5},
    {"Николай", "Nikolay", 4},      {"Владимир", "Vladimir", 5}, {"Артём", "Artyom", 4},
    {"Павел", "Pavel", 4},          {"Игорь", "Igor", 4},        {"Роман", "Roman", 4},
    {"Денис", "Denis", 4},          {"Олег", "Oleg", 3},         {"Кирилл", "Kirill", 3},
    {"Никита", "Nikita", 3},        {"Антон", "Anton", 3},
};

constexpr NameEntry kRussianFemale[] = {
    {"Анна", "Anna", 8},       {"Елена", "Yelena", 7},         {"Ольга", "Olga", 6},
    {"Наталья", "Natalya", 6}, {"Екатерина", "Yekaterina", 6}, {"Мария", "Mariya", 5},
    {"Татьяна", "Tatyana", 5}, {"Ирина", "Irina", 5},          {"Светлана", "Svetlana", 4},
    {"Юлия", "Yuliya", 4},     {"Анастасия", "Anastasiya", 5}, {"Дарья", "Darya", 4},
    {"Ксения", "Kseniya", 3},  {"Марина", "Marina", 3},        {"Виктория", "Viktoriya", 3},
};

constexpr NameEntry kRussianFamily[] = {
    {"Иванов", "Ivanov", 10},
    {"Смирнов", "Smirnov", 8},
    {"Кузнецов", "Kuznetsov", 7},
    {"Попов", "Popov", 6},
    {"Васильев", "Vasilyev", 5},
    {"Петров", "Petrov", 6},
    {"Соколов", "Sokolov", 5},
    {"Михайлов", "Mikhaylov", 4},
    {"Новиков", "Novikov", 4},
    {"Фёдоров", "Fyodorov", 4},
    {"Морозов", "Morozov", 4},
    {"Волков", "Volkov", 4},
    {"Алексеев", "Alekseyev", 3},
    {"Лебедев", "Lebedev", 3},
    {"Семёнов", "Semyonov", 3},
    {"Егоров", "Yegorov", 3},
    {"Павлов", "Pavlov", 3},
    {"Козлов", "Kozlov", 3},
    {"Степанов", "Stepanov", 3},
    {"Николаев", "Nikolayev", 3},
    {"Орлов", "Orlov", 3},
    {"Щербаков", "Shcherbakov", 2},
    {"Соловьёв", "Solovyov", 2},
    {"Виноградов", "Vinogradov", 2},
    {"Богданов", "Bogdanov", 2},
    {"Воробьёв", "Vorobyov", 2},
    {"Зайцев", "Zaytsev", 2},
    {"Белов", "Belov", 2},
    {"Ковалёв", "Kovalyov", 2},
    {"Жуков", "Zhukov", 2},
    {"Ковалевский", "Kovalevsky", 1},
    {"Полянский", "Polyansky", 1},
};

constexpr NameEntry kRussianFemaleFamily[] = {
    {"Иванова", "Ivanova", 10},
    {"Смирнова", "Smirnova", 8},
    {"Кузнецова", "Kuznetsova", 7},
    {"Попова", "Popova", 6},
    {"Васильева", "Vasilyeva", 5},
    {"Петрова", "Petrova", 6},
    {"Соколова", "Sokolova", 5},
    {"Михайлова", "Mikhaylova", 4},
    {"Новикова", "Novikova", 4},
    {"Фёдорова", "Fyodorova", 4},
    {"Морозова", "Morozova", 4},
    {"Волкова", "Volkova", 4},
    {"Алексеева", "Alekseyeva", 3},
    {"Лебедева", "Lebedeva", 3},
    {"Семёнова", "Semyonova", 3},
    {"Егорова", "Yegorova", 3},
    {"Павлова", "Pavlova", 3},
    {"Козлова", "Kozlova", 3},
    {"Степанова", "Stepanova", 3},
    {"Николаева", "Nikolayeva", 3},
    {"Орлова", "Orlova", 3},
    {"Щербакова", "Shcherbakova", 2},
    {"Соловьёва", "Solovyova", 2},
    {"Виноградова", "Vinogradova", 2},
    {"Богданова", "Bogdanova", 2},
    {"Воробьёва", "Vorobyova", 2},
    {"Зайцева", "Zaytseva", 2},
    {"Белова", "Belova", 2},
    {"Ковалёва", "Kovalyova", 2},
    {"Жукова", "Zhukova", 2},
    {"Ковалевская", "Kovalevskaya", 1},
    {"Полянская", "Polyanskaya", 1},
};

// ---------------------------------------------------------------------------
// Ukraine: Cyrillic with the Ukrainian national transliteration.

constexpr NameEntry kUkrainianMale[] = {
    {"Олександр", "Oleksandr", 8}, {"Андрій", "Andriy", 6},       {"Сергій", "Serhiy", 6},
    {"Дмитро", "Dmytro", 6},       {"Володимир", "Volodymyr", 5}, {"Іван", "Ivan", 5},
    {"Микола", "Mykola", 5},       {"Юрій", "Yuriy", 4},          {"Василь", "Vasyl", 4},
    {"Олег", "Oleh", 4},           {"Богдан", "Bohdan", 4},       {"Тарас", "Taras", 3},
    {"Максим", "Maksym", 4},       {"Віталій", "Vitaliy", 3},     {"Петро", "Petro", 3},
    {"Артем", "Artem", 3},
};

constexpr NameEntry kUkrainianFemale[] = {
    {"Олена", "Olena", 7},        {"Наталія", "Nataliya", 5}, {"Тетяна", "Tetyana", 5},
    {"Оксана", "Oksana", 6},      {"Ірина", "Iryna", 5},      {"Юлія", "Yuliya", 4},
    {"Світлана", "Svitlana", 4},  {"Марія", "Mariya", 4},     {"Анна", "Anna", 4},
    {"Катерина", "Kateryna", 4},  {"Галина", "Halyna", 3},    {"Людмила", "Lyudmyla", 3},
    {"Вікторія", "Viktoriya", 3}, {"Ольга", "Olha", 4},       {"Софія", "Sofiya", 3},
};

constexpr NameEntry kUkrainianFamily[] = {
    {"Шевченко", "Shevchenko", 8},   {"Коваленко", "Kovalenko", 6},
    {"Бондаренко", "Bondarenko", 6}, {"Ткаченко", "Tkachenko", 5},
    {"Кравченко", "Kravchenko", 5},  {"Олійник", "Oliynyk", 4},
    {"Шевчук", "Shevchuk", 4},       {"Коваль", "Koval", 4},
    {"Поліщук", "Polishchuk", 4},    {"Бойко", "Boyko", 5},
    {"Ткачук", "Tkachuk", 3},        {"Мельник", "Melnyk", 6},
    {"Савченко", "Savchenko", 3},    {"Руденко", "Rudenko", 3},
    {"Мороз", "Moroz", 3},           {"Лисенко", "Lysenko", 3},
    {"Марченко", "Marchenko", 3},    {"Петренко", "Petrenko", 3},
    {"Павленко", "Pavlenko", 3},     {"Кравчук", "Kravchuk", 3},
    {"Ковальчук", "Kovalchuk", 4},   {"Гончаренко", "Honcharenko", 2},
    {"Іваненко", "Ivanenko", 2},     {"Литвиненко", "Lytvynenko", 2},
    {"Савчук", "Savchuk", 2},        {"Ковальський", "Kovalskyi", 1},
    {"Левицький", "Levytskyi", 1},
};

constexpr NameEntry kUkrainianFemaleFamily[] = {
    {"Шевченко", "Shevchenko", 8},   {"Коваленко", "Kovalenko", 6},
    {"Бондаренко", "Bondarenko", 6}, {"Ткаченко", "Tkachenko", 5},
    {"Кравченко", "Kravchenko", 5},  {"Олійник", "Oliynyk", 4},
    {"Шевчук", "Shevchuk", 4},       {"Коваль", "Koval", 4},
    {"Поліщук", "Polishchuk", 4},    {"Бойко", "Boyko", 5},
    {"Ткачук", "Tkachuk", 3},        {"Мельник", "Melnyk", 6},
    {"Савченко", "Savchenko", 3},    {"Руденко", "Rudenko", 3},
    {"Мороз", "Moroz", 3},           {"Лисенко", "Lysenko", 3},
    {"Марченко", "Marchenko", 3},    {"Петренко", "Petrenko", 3},
    {"Павленко", "Pavlenko", 3},     {"Кравчук", "Kravchuk", 3},
    {"Ковальчук", "Kovalchuk", 4},   {"Гончаренко", "Honcharenko", 2},
    {"Іваненко", "Ivanenko", 2},     {"Литвиненко", "Lytvynenko", 2},
    {"Савчук", "Savchuk", 2},        {"Ковальська", "Kovalska", 1},
    {"Левицька", "Levytska", 1},
};

// ---------------------------------------------------------------------------
// Syria, Egypt, Iraq: Arabic script with a common Latin transliteration.

constexpr NameEntry kArabicMale[] = {
    {"محمد", "Mohammed", 25},
    {"أحمد", "Ahmed", 15},
    {"علي", "Ali", 10},
    {"محمود", "Mahmoud", 8},
    {"مصطفى", "Mustafa", 6},
    {"عمر", "Omar", 7},
    {"خالد", "Khaled", 6},
    {"حسن", "Hassan", 7},
    {"حسين", "Hussein", 6},
    {"يوسف", "Youssef", 6},
    {"إبراهيم", "Ibrahim", 6},
    {"عبد الله", "Abdullah", 8},
    {"عبد الرحمن", "Abdulrahman", 5},
    {"سامي", "Sami", 3},
    {"كريم", "Karim", 4},
    {"طارق", "Tarek", 3},
    {"وليد", "Walid", 3},
    {"رامي", "Rami", 3},
    {"ماهر", "Maher", 2},
    {"فادي", "Fadi", 3},
    {"زياد", "Ziad", 2},
    {"عماد", "Emad", 2},
    {"باسل", "Basel", 2},
    {"سعيد", "Said", 3},
    {"حمزة", "Hamza", 3},
    {"ياسر", "Yasser", 3},
    {"أسامة", "Osama", 2},
    {"جمال", "Gamal", 2},
};

constexpr NameEntry kArabicFemale[] = {
    {"فاطمة", "Fatima", 10}, {"مريم", "Maryam", 7}, {"عائشة", "Aisha", 5}, {"زينب", "Zainab", 6},
    {"نور", "Nour", 6},      {"سارة", "Sara", 5},   {"هدى", "Huda", 4},    {"ليلى", "Layla", 4},
    {"رنا", "Rana", 3},      {"ريم", "Reem", 4},    {"آمنة", "Amina", 4},  {"خديجة", "Khadija", 4},
    {"سلمى", "Salma", 3},    {"دعاء", "Doaa", 3},   {"منى", "Mona", 3},    {"هبة", "Heba", 3},
    {"ياسمين", "Yasmin", 4}, {"رشا", "Rasha", 2},   {"لينا", "Lina", 3},   {"إيمان", "Iman", 3},
};

constexpr NameEntry kArabicFamily[] = {
    {"الأحمد", "Al-Ahmad", 4},
    {"حداد", "Haddad", 4},
    {"خوري", "Khoury", 4},
    {"الشامي", "Al-Shami", 3},
    {"المصري", "Al-Masri", 4},
    {"محمد", "Mohamed", 8},
    {"حسن", "Hassan", 6},
    {"إبراهيم", "Ibrahim", 6},
    {"علي", "Ali", 6},
    {"عبد الرحمن", "Abdelrahman", 4},
    {"السيد", "El-Sayed", 5},
    {"عثمان", "Osman", 3},
    {"الجبوري", "Al-Jabouri", 4},
    {"العبيدي", "Al-Obaidi", 3},
    {"التميمي", "Al-Tamimi", 3},
    {"الدليمي", "Al-Dulaimi", 3},
    {"الحسيني", "Al-Husseini", 2},
    {"يوسف", "Youssef", 4},
    {"صالح", "Saleh", 4},
    {"منصور", "Mansour", 4},
    {"نصر", "Nasr", 3},
    {"حمدان", "Hamdan", 2},
    {"قاسم", "Qasim", 3},
    {"الخطيب", "Al-Khatib", 3},
    {"عبد الله", "Abdullah", 4},
    {"موسى", "Mousa", 3},
    {"سليمان", "Suleiman", 3},
    {"العلي", "Al-Ali", 3},
    {"درويش", "Darwish", 2},
    {"عيسى", "Issa", 2},
};

// ---------------------------------------------------------------------------
// Afghanistan and Pakistan, in Latin script.

constexpr NameEntry kAfghanMale[] = {
    {"Mohammad", "", 15},   {"Ahmad", "", 10},       {"Abdul Rahim", "", 3},
    {"Abdul Wahid", "", 3}, {"Abdul Rahman", "", 3}, {"Mohammad Nabi", "", 2},
    {"Ahmad Shah", "", 3},  {"Gul Ahmad", "", 2},    {"Hamid", "", 4},
    {"Farid", "", 4},       {"Jawad", "", 3},        {"Naveed", "", 3},
    {"Rahmatullah", "", 3}, {"Hekmatullah", "", 2},  {"Zabihullah", "", 3},
    {"Ezatullah", "", 2},   {"Samiullah", "", 2},    {"Sayed", "", 3},
    {"Mustafa", "", 3},     {"Omid", "", 3},         {"Masoud", "", 3},
    {"Najib", "", 3},       {"Wahid", "", 3},        {"Khalid", "", 3},
    {"Bashir", "", 3},      {"Nasir", "", 3},        {"Jamshid", "", 2},
    {"Shafiq", "", 2},      {"Imran", "", 3},        {"Bilal", "", 3},
};

constexpr NameEntry kAfghanFemale[] = {
    {"Fatima", "", 6},   {"Zahra", "", 6},   {"Maryam", "", 5},   {"Farzana", "", 4},
    {"Fereshta", "", 4}, {"Nargis", "", 4},  {"Shabana", "", 3},  {"Marzia", "", 3},
    {"Mursal", "", 3},   {"Parwana", "", 3}, {"Zarghona", "", 2}, {"Laila", "", 3},
    {"Hadia", "", 2},    {"Madina", "", 3},  {"Sima", "", 3},     {"Nilofar", "", 3},
    {"Roya", "", 3},     {"Shukria", "", 2}, {"Gulalai", "", 2},  {"Ayesha", "", 3},
};

constexpr NameEntry kAfghanFamily[] = {
    {"Ahmadi", "", 8},   {"Rahimi", "", 6},    {"Mohammadi", "", 6}, {"Hakimi", "", 4},
    {"Noori", "", 5},    {"Karimi", "", 5},    {"Sultani", "", 3},   {"Popal", "", 2},
    {"Ahmadzai", "", 4}, {"Stanikzai", "", 2}, {"Safi", "", 3},      {"Khan", "", 8},
    {"Hussaini", "", 4}, {"Sadat", "", 3},     {"Azizi", "", 4},     {"Amiri", "", 4},
    {"Haidari", "", 3},  {"Rezaei", "", 3},    {"Habibi", "", 4},    {"Wardak", "", 3},
    {"Durrani", "", 2},  {"Yousafzai", "", 2}, {"Rahmani", "", 4},   {"Niazi", "", 3},
    {"Jalali", "", 2},   {"Qaderi", "", 2},    {"Hussain", "", 4},   {"Malik", "", 3},
};

// ---------------------------------------------------------------------------
// Francophone West Africa (Senegal, Guinea, Mali, Mauritania).

constexpr NameEntry kWestAfricanMale[] = {
    {"Mamadou", "", 12}, {"Moussa", "", 8},     {"Ousmane", "", 8},  {"Abdoulaye", "", 7},
    {"Ibrahima", "", 7}, {"Amadou", "", 6},     {"Cheikh", "", 5},   {"Modou", "", 4},
    {"Alassane", "", 4}, {"Souleymane", "", 5}, {"Boubacar", "", 5}, {"Lamine", "", 4},
    {"Oumar", "", 5},    {"Seydou", "", 3},     {"Aliou", "", 4},    {"Mohamed", "", 6},
    {"Sidi", "", 3},     {"Babacar", "", 3},    {"Youssouf", "", 3}, {"Mohamed Lemine", "", 2},
};

constexpr NameEntry kWestAfricanFemale[] = {
    {"Fatoumata", "", 8}, {"Aminata", "", 7}, {"Mariama", "", 6},  {"Aïssatou", "", 5},
    {"Kadiatou", "", 4},  {"Awa", "", 5},     {"Fatou", "", 5},    {"Khady", "", 3},
    {"Coumba", "", 3},    {"Binta", "", 3},   {"Ndeye", "", 3},    {"Oumou", "", 3},
    {"Hawa", "", 3},      {"Rokia", "", 2},   {"Salimata", "", 2},
};

constexpr NameEntry kWestAfricanFamily[] = {
    {"Diallo", "", 12},   {"Ba", "", 6},       {"Sow", "", 6},          {"Barry", "", 6},
    {"Bah", "", 5},       {"Diop", "", 6},     {"Ndiaye", "", 6},       {"Fall", "", 4},
    {"Camara", "", 7},    {"Traoré", "", 7},   {"Touré", "", 5},        {"Keïta", "", 5},
    {"Coulibaly", "", 6}, {"Konaté", "", 4},   {"Sylla", "", 4},        {"Cissé", "", 5},
    {"Diarra", "", 4},    {"Sy", "", 3},       {"Kane", "", 3},         {"Sarr", "", 3},
    {"Mbaye", "", 3},     {"Gueye", "", 3},    {"Ould Mohamed", "", 2}, {"Ould Ahmed", "", 2},
    {"Kaba", "", 2},      {"Bangoura", "", 3}, {"Soumah", "", 2},       {"Condé", "", 3},
    {"Doumbia", "", 3},
};

// ---------------------------------------------------------------------------
// Anglophone West Africa (Nigeria, Ghana).

constexpr NameEntry kNigerianMale[] = {
    {"Chukwuemeka", "", 4}, {"Oluwaseun", "", 4}, {"Adebayo", "", 5},  {"Emeka", "", 4},
    {"Chinedu", "", 4},     {"Ifeanyi", "", 3},   {"Olumide", "", 3},  {"Babajide", "", 2},
    {"Tunde", "", 3},       {"Segun", "", 3},     {"Femi", "", 3},     {"Kwame", "", 5},
    {"Kofi", "", 6},        {"Kwabena", "", 3},   {"Yaw", "", 4},      {"Kwesi", "", 3},
    {"Kojo", "", 3},        {"Samuel", "", 6},    {"Emmanuel", "", 7}, {"Daniel", "", 5},
    {"Michael", "", 5},     {"Godwin", "", 3},    {"Ibrahim", "", 4},  {"Musa", "", 3},
    {"Abubakar", "", 3},    {"Prince", "", 3},    {"Stephen", "", 3},
};

constexpr NameEntry kNigerianFemale[] = {
    {"Chiamaka", "", 3},  {"Ngozi", "", 4},  {"Adaeze", "", 3},   {"Oluwakemi", "", 3},
    {"Funmilayo", "", 3}, {"Folake", "", 3}, {"Blessing", "", 6}, {"Grace", "", 5},
    {"Esther", "", 4},    {"Mercy", "", 4},  {"Patience", "", 3}, {"Abena", "", 4},
    {"Akosua", "", 4},    {"Ama", "", 4},    {"Efua", "", 3},     {"Comfort", "", 4},
    {"Joy", "", 4},       {"Gift", "", 3},   {"Faith", "", 3},    {"Aisha", "", 3},
};

constexpr NameEntry kNigerianFamily[] = {
    {"Okafor", "", 5},   {"Okonkwo", "", 4},  {"Eze", "", 4},     {"Nwosu", "", 4},
    {"Adeyemi", "", 5},  {"Ogunleye", "", 3}, {"Adebayo", "", 4}, {"Olawale", "", 3},
    {"Okeke", "", 4},    {"Obi", "", 3},      {"Ibrahim", "", 4}, {"Bello", "", 4},
    {"Mohammed", "", 4}, {"Abubakar", "", 3}, {"Mensah", "", 6},  {"Owusu", "", 6},
    {"Boateng", "", 5},  {"Asante", "", 4},   {"Osei", "", 5},    {"Appiah", "", 4},
    {"Agyeman", "", 3},  {"Ofori", "", 3},    {"Danso", "", 3},   {"Addo", "", 3},
    {"Oduro", "", 2},    {"Adjei", "", 3},    {"Ansah", "", 3},
};

// ---------------------------------------------------------------------------
// Romania

constexpr NameEntry kRomanianMale[] = {
    {"Ion", "", 8},      {"Gheorghe", "", 6}, {"Constantin", "", 5}, {"Alexandru", "", 6},
    {"Andrei", "", 6},   {"Mihai", "", 7},    {"Florin", "", 4},     {"Marian", "", 4},
    {"Adrian", "", 5},   {"Daniel", "", 5},   {"Nicolae", "", 5},    {"Vasile", "", 5},
    {"Cristian", "", 4}, {"Ionuț", "", 4},    {"Ștefan", "", 3},     {"Răzvan", "", 3},
    {"Bogdan", "", 3},   {"Cătălin", "", 3},  {"Gabriel", "", 3},    {"Dumitru", "", 4},
    {"Costel", "", 3},   {"Marius", "", 3},
};

constexpr NameEntry kRomanianFemale[] = {
    {"Maria", "", 8},    {"Elena", "", 8},      {"Ioana", "", 6},    {"Andreea", "", 5},
    {"Ana", "", 5},      {"Mihaela", "", 4},    {"Gabriela", "", 4}, {"Alexandra", "", 4},
    {"Cristina", "", 4}, {"Florentina", "", 2}, {"Daniela", "", 3},  {"Nicoleta", "", 3},
    {"Ramona", "", 3},   {"Georgiana", "", 3},  {"Mirela", "", 3},   {"Alina", "", 3},
    {"Loredana", "", 2}, {"Rodica", "", 2},
};

constexpr NameEntry kRomanianFamily[] = {
    {"Popescu", "", 8},  {"Popa", "", 7},       {"Ionescu", "", 5},   {"Pop", "", 6},
    {"Radu", "", 5},     {"Dumitru", "", 5},    {"Stoica", "", 4},    {"Stan", "", 4},
    {"Gheorghe", "", 4}, {"Matei", "", 3},      {"Ciobanu", "", 4},   {"Rusu", "", 4},
    {"Munteanu", "", 3}, {"Constantin", "", 3}, {"Mihai", "", 3},     {"Lazăr", "", 2},
    {"Moldovan", "", 3}, {"Marin", "", 3},      {"Tudor", "", 3},     {"Ene", "", 2},
    {"Dinu", "", 2},     {"Ștefan", "", 2},     {"Florea", "", 3},    {"Nistor", "", 2},
    {"Dobre", "", 2},    {"Barbu", "", 2},      {"Căldăraru", "", 2}, {"Lingurar", "", 2},
    {"Zamfir", "", 2},   {"Stănescu", "", 2},
};

// ---------------------------------------------------------------------------
// Türkiye

constexpr NameEntry kTurkishMale[] = {
    {"Mehmet", "", 10}, {"Mustafa", "", 7}, {"Ahmet", "", 7},  {"Ali", "", 6},   {"Hüseyin", "", 5},
    {"Hasan", "", 5},   {"İbrahim", "", 4}, {"İsmail", "", 4}, {"Murat", "", 5}, {"Ömer", "", 4},
    {"Yusuf", "", 4},   {"Osman", "", 3},   {"Emre", "", 4},   {"Burak", "", 3}, {"Serkan", "", 3},
    {"Fatih", "", 3},   {"Kemal", "", 3},   {"Orhan", "", 2},  {"Selim", "", 2}, {"Uğur", "", 3},
    {"Barış", "", 2},
};

constexpr NameEntry kTurkishFemale[] = {
    {"Ayşe", "", 6},  {"Fatma", "", 7},  {"Emine", "", 5},  {"Hatice", "", 5}, {"Zeynep", "", 5},
    {"Elif", "", 5},  {"Meryem", "", 3}, {"Şerife", "", 2}, {"Sultan", "", 2}, {"Hülya", "", 2},
    {"Özlem", "", 3}, {"Esra", "", 3},   {"Büşra", "", 3},  {"Merve", "", 3},  {"Gül", "", 3},
    {"Derya", "", 2}, {"Selin", "", 2},  {"Ebru", "", 2},
};

constexpr NameEntry kTurkishFamily[] = {
    {"Yılmaz", "", 10}, {"Kaya", "", 8},    {"Demir", "", 8},    {"Şahin", "", 6},
    {"Çelik", "", 6},   {"Yıldız", "", 5},  {"Yıldırım", "", 5}, {"Öztürk", "", 5},
    {"Aydın", "", 5},   {"Özdemir", "", 5}, {"Arslan", "", 4},   {"Doğan", "", 4},
    {"Kılıç", "", 4},   {"Aslan", "", 3},   {"Çetin", "", 3},    {"Kara", "", 3},
    {"Koç", "", 3},     {"Kurt", "", 3},    {"Özkan", "", 3},    {"Şimşek", "", 3},
    {"Polat", "", 2},   {"Korkmaz", "", 2}, {"Erdoğan", "", 2},  {"Güneş", "", 2},
    {"Aksoy", "", 2},   {"Bulut", "", 2},
};

constexpr NamePool kPools[] = {
    // kHispanic
    {kHispanicMale, kHispanicFemale, kHispanicFamily, {}},
    // kGuatemalan
    {kHispanicMale, kHispanicFemale, kGuatemalanFamily, {}},
    // kBrazilian
    {kBrazilianMale, kBrazilianFemale, kBrazilianFamily, {}},
    // kHaitian
    {kHaitianMale, kHaitianFemale, kHaitianFamily, {}},
    // kIndian
    {kIndianMale, kIndianFemale, kIndianFamily, kIndianFemaleFamily},
    // kChinese
    {kChineseMale, kChineseFemale, kChineseFamily, {}},
    // kVietnamese
    {kVietnameseMale, kVietnameseFemale, kVietnameseFamily, {}},
    // kRussian
    {kRussianMale, kRussianFemale, kRussianFamily, kRussianFemaleFamily},
    // kUkrainian
    {kUkrainianMale, kUkrainianFemale, kUkrainianFamily, kUkrainianFemaleFamily},
    // kArabic
    {kArabicMale, kArabicFemale, kArabicFamily, {}},
    // kAfghan
    {kAfghanMale, kAfghanFemale, kAfghanFamily, {}},
    // kWestAfrican
    {kWestAfricanMale, kWestAfricanFemale, kWestAfricanFamily, {}},
    // kNigerian
    {kNigerianMale, kNigerianFemale, kNigerianFamily, {}},
    // kRomanian
    {kRomanianMale, kRomanianFemale, kRomanianFamily, {}},
    // kTurkish
    {kTurkishMale, kTurkishFemale, kTurkishFamily, {}},
};

static_assert(std::size(kPools) == static_cast<size_t>(NameStyle::kTurkish) + 1,
              "one pool per NameStyle, in declaration order");
static_assert(std::size(kIndianFamily) == std::size(kIndianFemaleFamily));
static_assert(std::size(kRussianFamily) == std::size(kRussianFemaleFamily));
static_assert(std::size(kUkrainianFamily) == std::size(kUkrainianFemaleFamily));

}  // namespace

const NamePool& Pool(NameStyle style) { return kPools[static_cast<size_t>(style)]; }

}  // namespace vigil::demo
